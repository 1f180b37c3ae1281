#!/usr/bin/env bash
# Soak test of resuming: N consecutive `train --resume --steps 1` runs must end
# bit-identical to one run of N steps (same exported weights, same step count), and leave
# no temporary file behind.
#
#   scripts/soak.sh [N=1000]        PRESET=ring-shift  BIN=path/to/invariance-lab
#
# Without BIN it builds the headless binary (dev profile, no GUI). Prints one summary line
# and exits non-zero on any difference or failed run.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
PRESET=${PRESET:-ring-shift}
if [ -z "${BIN:-}" ]; then
    cargo build --quiet --no-default-features --bin invariance-lab
    BIN=target/debug/invariance-lab
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

"$BIN" train --preset "$PRESET" --steps 0 --out "$dir/resumed.json" >/dev/null 2>&1
start=$(date +%s.%N)
for i in $(seq 1 "$N"); do
    if ! "$BIN" train --resume "$dir/resumed.json" --steps 1 --out "$dir/resumed.json" \
        >/dev/null 2>"$dir/err"; then
        echo "soak: run $i of $N failed: $(cat "$dir/err")" >&2
        exit 1
    fi
done
end=$(date +%s.%N)
"$BIN" train --preset "$PRESET" --steps "$N" --out "$dir/long.json" >/dev/null 2>&1
"$BIN" export "$dir/resumed.json" --weights "$dir/resumed.npy" >/dev/null
"$BIN" export "$dir/long.json" --weights "$dir/long.npy" >/dev/null
steps() { "$BIN" info --json "$1" | grep -o '"steps": *[0-9]*' | grep -o '[0-9]*$'; }
leftovers=$(find "$dir" -name '.*.tmp-*' | wc -l)
if cmp -s "$dir/resumed.npy" "$dir/long.npy" && [ "$(steps "$dir/resumed.json")" = "$N" ] \
    && [ "$(steps "$dir/long.json")" = "$N" ] && [ "$leftovers" = 0 ]; then
    printf 'soak: %d one-step resumes of %s in %.1f s: weights bit-identical to one %d-step run; %d temporaries left\n' \
        "$N" "$PRESET" "$(awk "BEGIN{print $end - $start}")" "$N" "$leftovers"
else
    echo "soak: FAILED after $N resumes: weights or steps differ, or $leftovers temporaries left" >&2
    exit 1
fi
