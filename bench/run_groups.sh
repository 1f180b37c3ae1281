#!/usr/bin/env bash
# Exact automorphism groups: exact_group against bliss (python-igraph) on the graph
# zoo of tests/group_zoo — the classic graphs, the hard families of the
# exact-automorphism benchmarks (CFI, projective planes, Paley, latin squares,
# Hadamard, Kneser, Johnson, hypercubes, large disjoint unions) and two dense
# timing-only matrices (n = 1024, 2048). Interleaved: every round times each graph
# with ours and with bliss one after the other; the table gives medians over the
# rounds, the ratio, our peak memory, and whether the targets hold.
# Usage: bench/run_groups.sh [NAME…]   (default: every graph)
# Environment: ROUNDS (default 5), DATA (default target/bench-groups).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
ROUNDS=${ROUNDS:-5}
DATA=${DATA:-target/bench-groups}
# 1. Build the bench binary (release) and write the scrambled graphs and the manifest.
cargo build --release --no-default-features --bench group_bench 2>/dev/null ||
  cargo bench --no-default-features --bench group_bench --no-run
BIN=$(ls -t target/release/deps/group_bench-* | grep -v '\.d$' | head -1)
mkdir -p "$DATA"
"$BIN" write "$DATA"
# 2. Both engines, interleaved, and the joined table.
ensure_venv numpy igraph:python-igraph
bench/.venv/bin/python bench/bliss_groups.py "$BIN" "$DATA" "$ROUNDS" "$@"
