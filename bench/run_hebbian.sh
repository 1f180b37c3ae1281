#!/usr/bin/env bash
# Hebbian throughput, Rust vs the straightforward NumPy update on the same activities, and
# the share of this machine's float32 matrix-product peak, all measured in one run with
# Rust and NumPy alternating round by round (bench/hebbian_throughput.rs).
# Makes sure bench/.venv has NumPy (bench/venv.sh). Optional arguments: rounds (default 5)
# and case labels to run only those (e.g. `bench/run_hebbian.sh 5 ring-shift`).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${HEBB_BENCH_DIR:-target/hebb-bench}"
mkdir -p "$out"
source bench/venv.sh
ensure_venv numpy threadpoolctl
# The environment here may pin OpenBLAS to a slow core type; NumPy gets the defaults.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE HEBB_BENCH_DIR="$out" \
  HEBB_PYTHON="$PWD/bench/.venv/bin/python" \
  cargo bench --bench hebbian_throughput -- "$@"
