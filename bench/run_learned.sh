#!/usr/bin/env bash
# Learned detector bank, through the release CLI: the time to learn the
# `ring-learned` bank (its field steps, from process start, whitening included) and
# the Hebbian throughput of the graph phase with the learned bank (1000 steps of 50
# stimuli resumed after the field phase), next to the tiled `ring-shift` bank (M = 256)
# for scale; and the same two figures for `torus-learned` (8 shared 8 × 8
# kernels learned from photo windows, then the graph at M = 2048). Prints the median of
# REPEATS runs (default 5). Not a test; no thresholds.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS="${REPEATS:-5}"
BIN=target/release/invariance-lab
cargo build --release --no-default-features --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Seconds of wall-clock time of one command (its output discarded).
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# A preset's field steps, as `invariance-lab config` prints them.
field_steps() { "$BIN" config --preset "$1" | sed -n 's/.*"field_steps": *\([0-9]*\).*/\1/p' | head -1; }
FS=$(field_steps ring-learned)
TFS=$(field_steps torus-learned)
fields=(); graph=(); tiled=(); tfields=(); tgraph=()
for _ in $(seq "$REPEATS"); do
    fields+=("$(seconds "$BIN" train --preset ring-learned --steps "$FS" --out "$work/f.json")")
    graph+=("$(seconds "$BIN" train --resume "$work/f.json" --steps 1000 --out "$work/g.json")")
    tiled+=("$(seconds "$BIN" train --preset ring-shift --steps 1000 --out "$work/t.json")")
    tfields+=("$(seconds "$BIN" train --preset torus-learned --steps "$TFS" --out "$work/tf.json")")
    tgraph+=("$(seconds "$BIN" train --resume "$work/tf.json" --steps 1000 --out "$work/tg.json")")
done
f=$(printf '%s\n' "${fields[@]}" | median)
g=$(printf '%s\n' "${graph[@]}" | median)
t=$(printf '%s\n' "${tiled[@]}" | median)
tf=$(printf '%s\n' "${tfields[@]}" | median)
tg=$(printf '%s\n' "${tgraph[@]}" | median)
printf 'learn the ring-learned bank (%s steps × 50 stimuli, M = 128): median %.2f s\n' "$FS" "$f"
printf 'graph phase, learned bank (1000 steps × 50 stimuli, M = 128): median %.2f s = %.0f stimuli/s\n' \
    "$g" "$(echo "50000 / $g" | bc -l)"
printf 'ring-shift, tiled bank (1000 steps × 50 stimuli, M = 256):   median %.2f s = %.0f stimuli/s\n' \
    "$t" "$(echo "50000 / $t" | bc -l)"
printf 'learn the torus-learned kernels (%s steps × 64 stimuli × 4 windows, M = 2048): median %.2f s\n' \
    "$TFS" "$tf"
printf 'graph phase, torus-learned (1000 steps × 64 stimuli, M = 2048): median %.2f s = %.0f stimuli/s\n' \
    "$tg" "$(echo "64000 / $tg" | bc -l)"
