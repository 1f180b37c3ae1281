#!/usr/bin/env bash
# Exact automorphism groups: exact_group against bliss (python-igraph) on the graph
# zoo of tests/group_zoo, plus two dense timing-only matrices (n = 1024, 2048).
# Prints one table: graph, n, expected order, our order, bliss order, equal?,
# median seconds of both (5 runs each).
# Usage: bench/run_groups.sh [DATA_DIR]   (default target/bench-groups)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
DATA=${1:-target/bench-groups}
# 1. Build (release), write the scrambled graphs and the manifest, time exact_group.
mkdir -p "$DATA"
cargo bench --no-default-features --bench group_bench -- "$DATA" > "$DATA/ours.txt"
# 2. bliss on the same files; it joins both tables.
ensure_venv numpy igraph:python-igraph
bench/.venv/bin/python bench/bliss_groups.py "$DATA"
