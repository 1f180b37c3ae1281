#!/usr/bin/env bash
# Time to the full approximate group (not a test): noisy scrambled circulants
# n = 1 024 … 8 192 (planted group D_n, order 2n), the trained `torus-translate`
# preset (M = 2 048, bank closed under 256 translations × D_4 = 2 048 elements) and
# `ring-shift` (C_64) and `polar-rotate` (D_48). Runs the release CLI (`invariance-lab search FILE --json`),
# REPEATS times per case, and prints per case: the order and name found, the
# expected order, whether every generator is a planted symmetry (circulants: checked
# against the saved relabelling; presets: true transformations recovered), the
# largest measured error, the median wall time of the whole command and the median
# time at which the search held its final group (`full_group_s` of the JSON: the last
# generator accepted), the peak resident memory of the search process and its ratio to
# the matrix (n² float32); then the cost-growth exponent k of time ∝ n^k fitted over
# the circulants (least squares on log–log).
# Usage: bench/run_scaling.sh [SIZES…]   (default 1024 2048 4096 8192; add 16384 for
# the largest size the configuration allows: W is then 1 GiB, and writing it takes
# about 5 GB of memory in NumPy)
# Environment: REPEATS (default 3), PROFILE (gaussian, default, or random: a dense
# circulant whose entries carry little information each — a hard case), DATA.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
REPEATS=${REPEATS:-3}
PROFILE=${PROFILE:-gaussian}
DATA=${DATA:-target/bench-scaling}
SIZES=("$@")
if [ ${#SIZES[@]} -eq 0 ]; then SIZES=(1024 2048 4096 8192); fi
mkdir -p "$DATA"
# The CLI alone: `cargo bench` would also build the app's test dependencies in release.
cargo build --release --no-default-features
BIN=target/release/invariance-lab
ensure_venv numpy
bench/.venv/bin/python bench/make_circulants.py "$DATA" 1 "$PROFILE" "${SIZES[@]}"
for preset in torus-translate ring-shift polar-rotate; do
  [ -f "$DATA/$preset.json" ] || "$BIN" train --preset "$preset" --out "$DATA/$preset.json" > /dev/null
done
bench/.venv/bin/python bench/scaling.py "$BIN" "$DATA" "$REPEATS" "$PROFILE" "${SIZES[@]}"
