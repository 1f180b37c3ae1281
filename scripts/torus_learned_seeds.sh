#!/usr/bin/env bash
# The per-seed table of `torus-learned`: for the preset's seed and other
# seeds, train the preset headless, measure its fields (`info --json`, key `fields`) and
# search its graph (`search --json`), then print one Markdown row per seed.
#
# Usage: scripts/torus_learned_seeds.sh [SEED…]          (default: 10 1 2 3 4 5)
#        EXTRA="--set bank.filters=4" scripts/torus_learned_seeds.sh 10   (overrides)
# The search runs with SEARCH_ARGS (default `--time-limit 1800`): its budgets are counted
# in work, and a long limit keeps a loaded machine's clock from cutting it short (the
# column "timed out" says if it did).
# Needs python3 (standard library only) and a release CLI (built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-target/release/invariance-lab}"
if [[ ! -x "$BIN" ]]; then
    cargo build --release --no-default-features
fi
SEEDS=("$@")
if [[ ${#SEEDS[@]} -eq 0 ]]; then
    SEEDS=(10 1 2 3 4 5)
fi
WORK="${WORK:-$(mktemp -d)}"
mkdir -p "$WORK"
echo "| seed | IPR | RMS width (px) | selectivity | half-width (°) | tiling CV | closure (1,0) mean/max | closure (0,1) mean/max | e_g / baseline | group | consistency (+1,0) | consistency (0,+1) | train s | search s (group held at) | timed out |"
echo "|---:|---:|---:|---:|---:|---:|---|---|---|---|---:|---:|---:|---:|---|"
for seed in "${SEEDS[@]}"; do
    file="$WORK/seed$seed.json"
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    "$BIN" train --preset torus-learned --seed "$seed" ${EXTRA:-} --out "$file" >/dev/null
    t1=$(date +%s.%N)
    "$BIN" info "$file" --json >"$WORK/seed$seed.info.json"
    # shellcheck disable=SC2086
    "$BIN" search "$file" --json ${SEARCH_ARGS:---time-limit 1800} >"$WORK/seed$seed.search.json"
    t2=$(date +%s.%N)
    python3 - "$seed" "$WORK/seed$seed.info.json" "$WORK/seed$seed.search.json" "$t0" "$t1" "$t2" <<'EOF'
import json, sys
seed, info_path, search_path, t0, t1, t2 = sys.argv[1:]
info = json.load(open(info_path))
search = json.load(open(search_path))
f = info["fields"]
o = f.get("orientation") or {}
closures = {c["transformation"]: c for c in f.get("closure_by", [])}
def closure(name):
    c = closures.get(name)
    return f"{c['mean']:.3f} / {c['max']:.3f}" if c else "–"
tracked = {t["transformation"]: t["consistency"] for t in search.get("tracked_truths", [])}
group = search["group"]
name = f"{group.get('name') or '?'} ({group.get('order') or 1})" if group.get("order") else "none"
held = "–" if search.get("full_group_s") is None else f"{search['full_group_s']:.0f}"
print(
    f"| {seed} | {f['ipr_mean']:.3f} | {f['rms_width_mean']:.2f} | "
    f"{o.get('selectivity_mean', float('nan')):.2f} | {o.get('hwhm_median_deg', float('nan')):.0f} | "
    f"{f['tiling_cv']:.3f} | {closure('translate (+1, 0)')} | {closure('translate (0, +1)')} | "
    f"{info['symmetry_error_true']:.3f} / {info['symmetry_error_random']:.3f} | {name} | "
    f"{tracked.get('translate (+1, 0)', float('nan')):.3f} | "
    f"{tracked.get('translate (0, +1)', float('nan')):.3f} | "
    f"{float(t1) - float(t0):.0f} | {search['elapsed_s']:.0f} ({held}) | "
    f"{'yes' if search['timed_out'] else 'no'} |"
)
EOF
done
