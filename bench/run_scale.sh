#!/usr/bin/env bash
# The 16,384-neuron preset `torus-large` end to end in the command line: time and peak
# memory (max RSS from /usr/bin/time) of training, loading, saving, exporting and
# importing, against the size of W (1 GiB) and of the files (bench/scale_import.rs
# times loading and saving apart). Optional argument: training
# steps (default 20). Writes into target/scale-bench (about 5 GB).
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-20}"
out="${SCALE_BENCH_DIR:-target/scale-bench}"
mkdir -p "$out"
cargo build --release
cargo bench --bench scale_import --no-run
bin=target/release/invariance-lab
bench=$(ls -t target/release/deps/scale_import-* | grep -v '\.d$' | head -1)
w_bytes=$((16384 * 16384 * 4))
measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/${name%% *}.log" 2>&1
  read -r secs kb < "$out/time.txt"
  printf '%-44s %8.1f s %9.2f GiB  (%.2f × W)\n' "$name" "$secs" \
    "$(echo "$kb / 1048576" | bc -l)" "$(echo "$kb * 1024 / $w_bytes" | bc -l)"
}
echo "torus-large (M = 16,384, W = 1 GiB of float32); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "train"  $bin train --preset torus-large --steps "$steps" --out "$out/large.json"
ls -l "$out/large.json" | awk '{printf "experiment file: %.2f GB\n", $5 / 1e9}'
measure "load" "$bench" load "$out/large.json"
grep -h "loaded" "$out/load.log"
measure "load + save" "$bench" save "$out/large.json" "$out/large2.json"
grep -h "saved" "$out/load.log"
measure "load + export .npy (export --weights)" $bin export "$out/large.json" --weights "$out/w.npy"
ls -l "$out/w.npy" | awk '{printf ".npy file: %.2f GB\n", $5 / 1e9}'
measure "import .npy (as the app and search do)" "$bench" "$out/w.npy"
grep -h "symmetry error" "$out/train.log" || true
