#!/usr/bin/env bash
# Hebbian throughput, Rust vs the straightforward NumPy update, on the same activities.
# Makes sure bench/.venv has NumPy (bench/venv.sh). Prints stimuli/s of both and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${HEBB_BENCH_DIR:-target/hebb-bench}"
mkdir -p "$out"
source bench/venv.sh
ensure_venv numpy
HEBB_BENCH_DIR="$out" cargo bench --no-default-features --bench hebbian_throughput
# The environment here may pin OpenBLAS to a slow core type; NumPy gets the defaults.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/.venv/bin/python bench/numpy_hebb.py "$out"
