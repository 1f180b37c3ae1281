#!/usr/bin/env bash
# Sweep throughput (runs per minute) on ring-shift with 1 worker on 1 core vs 2 workers
# on 2 cores, and the speed-up. Not a test: it prints figures, it does not judge them.
#
# Each run trains ring-shift for 400 steps (20 000 stimuli) and records 3 checkpoints;
# the grid is 2 decays × 8 seeds = 16 independent runs. Every measurement starts from an
# empty output, repeats REPEATS times (default 5, 1 and 2 workers interleaved), and the
# median is reported, with the runs per CPU-minute (user + system time): when other
# work takes part of the cores, the wall-clock speed-up falls short of 2, but the CPU
# cost per run shows whether running in parallel itself costs anything. The
# workers are pinned with taskset (core 0; cores 0–1), and matrixmultiply's own threads
# are limited to one per worker (MATMUL_NUM_THREADS=1) so that "1 core" means one core.
# Other work on the machine (e.g. builds) makes the figures noisy: run it on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${REPEATS:-5}"
cargo build --release --no-default-features --quiet
bin=target/release/invariance-lab
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cat > "$dir/bench.toml" <<'SPEC'
base = "ring-shift"
seeds = [1, 2, 3, 4, 5, 6, 7, 8]
checkpoints = [1000, 5000, 20000]
[parameters]
decay = [0.0, 1e-3]
SPEC
runs=16

# One sweep with $1 threads; prints "wall_secs cpu_secs" (user + system).
once() {
  rm -f "$dir/out.csv"
  MATMUL_NUM_THREADS=1 /usr/bin/time -f '%e %U %S' -o "$dir/time" \
    taskset -c "$2" "$bin" sweep "$dir/bench.toml" --out "$dir/out.csv" --threads "$1" \
    >/dev/null 2>&1
  awk '{print $1, $2 + $3}' "$dir/time"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# How much of two cores this machine gives right now: two spinning processes, 3 s.
available() {
  local i
  for i in 1 2; do
    /usr/bin/time -f '%P' -o "$dir/spin$i" timeout 3 sh -c 'while :; do :; done' &
  done
  wait
  cat "$dir"/spin* | tr -d '%' | awk '{s += $1} END {printf "%.2f", s / 100}'
  rm -f "$dir"/spin*
}
before=$(available)

# Interleaved (1, 2, 1, 2, …) so that a change in the machine's load hits both alike.
: > "$dir/one"; : > "$dir/two"
for _ in $(seq "$repeats"); do
  once 1 0 >> "$dir/one"
  once 2 0,1 >> "$dir/two"
done
rate() { awk -v runs=$runs -v col="$2" '{print runs * 60 / $col}' "$dir/$1" | median; }
one=$(rate one 1); two=$(rate two 1)
one_cpu=$(rate one 2); two_cpu=$(rate two 2)
printf 'sweep throughput, ring-shift, %d runs × 400 steps, median of %d (interleaved):\n' "$runs" "$repeats"
printf '                        wall: runs/min   per CPU-minute\n'
printf '  1 worker on 1 core:   %8.1f          %8.1f\n' "$one" "$one_cpu"
printf '  2 workers on 2 cores: %8.1f          %8.1f\n' "$two" "$two_cpu"
printf '  speed-up (wall):      %8.2f×\n' "$(echo "$two / $one" | bc -l)"
printf '  cores available to two spinning processes: %s before, %s after\n' "$before" "$(available)"
printf '  CPU cost per run, 2 workers vs 1: %.2f× (1.00 = no overhead from running in parallel)\n' \
  "$(echo "$one_cpu / $two_cpu" | bc -l)"
