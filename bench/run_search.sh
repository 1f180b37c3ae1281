#!/usr/bin/env bash
# Benchmark of the automorphism search against SciPy FAQ and a NumPy
# spectral + FAQ pipeline on the same planted-symmetry matrices.
# Usage: bench/run_search.sh [SIZES…]   (default 128 512 1024 2048)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-target/bench-search}
SIZES=("$@")
if [ ${#SIZES[@]} -eq 0 ]; then SIZES=(128 512 1024 2048); fi
# 1. Build (release), write the matrices, run the engine.
cargo bench --no-default-features --bench search_bench -- "$DATA" "${SIZES[@]}"
# 2. Python peers in their own venv.
source bench/venv.sh
ensure_venv numpy scipy
# These two variables (set on some machines) slow NumPy's BLAS down a lot.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE bench/.venv/bin/python bench/search_peers.py "$DATA"
