#!/usr/bin/env bash
# Does the search stop when it is done? Graphs with nothing to find beyond their exact
# group — a random cubic graph on 3,000 vertices, the 60 × 60 torus grid (order
# 28,800), CFI graphs on 2,000 vertices (twisted and untwisted) — must finish in under
# 5 s each, not at the time limit; the presets and planted cases (ring-shift,
# image-rotate, torus-translate, noisy circulants n = 1,024 and 2,048) no slower than
# an older build given as BASE. Runs the release CLI (`search FILE --json`), REPEATS
# times per case, interleaved with BASE, and prints medians, what was found and the
# work counters (bench/stops.py).
# Usage: bench/run_stops.sh
# Environment: REPEATS (default 3), BASE (an older invariance-lab binary; none by
# default), DATA (default target/bench-stops).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
REPEATS=${REPEATS:-3}
DATA=${DATA:-target/bench-stops}
GROUPS_DATA=target/bench-groups
mkdir -p "$DATA" "$GROUPS_DATA"
cargo build --release --no-default-features --bins --bench group_bench
BIN=target/release/invariance-lab
ensure_venv numpy
# The CFI graphs come from the group benchmark's zoo (tests/group_zoo/hard.rs).
if [ ! -f "$GROUPS_DATA/cfi_t_200.npy" ]; then
  GB=$(ls -t target/release/deps/group_bench-* | grep -v '\.d$' | head -1)
  "$GB" write "$GROUPS_DATA" > /dev/null
fi
[ -f "$DATA/torus60.npy" ] || bench/.venv/bin/python bench/make_structured.py "$DATA" 1
[ -f "$DATA/gaussian_2048.npy" ] || bench/.venv/bin/python bench/make_circulants.py "$DATA" 1 gaussian 1024 2048
for preset in ring-shift image-rotate torus-translate; do
  [ -f "$DATA/$preset.json" ] || "$BIN" train --preset "$preset" --out "$DATA/$preset.json" > /dev/null
done
bench/.venv/bin/python bench/stops.py "$BIN" "${BASE:--}" "$REPEATS" \
  structured:"$DATA/cubic3000.npy" structured:"$DATA/torus60.npy" \
  structured:"$GROUPS_DATA/cfi_u_200.npy" structured:"$GROUPS_DATA/cfi_t_200.npy" \
  planted:"$DATA/ring-shift.json" planted:"$DATA/image-rotate.json" planted:"$DATA/torus-translate.json" \
  planted:"$DATA/gaussian_1024.npy" planted:"$DATA/gaussian_2048.npy"
