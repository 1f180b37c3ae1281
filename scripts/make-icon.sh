#!/usr/bin/env bash
# Regenerates the app icon (assets/invariance-lab.svg and assets/invariance-lab-256.png)
# from one of the app's own figures: the ring-shift weight matrix in the recovered order
# (block-circulant — the learned symmetry made visible), as `invariance-lab figure` draws
# it. A maintainer's script: installing the app does not run it.
#
# Needs: a built invariance-lab (or `cargo`), python3, and rsvg-convert (librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${INVARIANCE_LAB:-target/release/invariance-lab}
[ -x "$bin" ] || bin="cargo run --quiet --release --no-default-features --"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$bin train --preset ring-shift --steps 400 --out "$work/run.json" >/dev/null
$bin figure "$work/run.json" --plot heatmap --order recovered --seed 1 --out "$work/heatmap.svg" >/dev/null
python3 - "$work/heatmap.svg" assets/invariance-lab.svg <<'PY'
import re, sys
svg = open(sys.argv[1]).read()
# The figure's embedded picture of the matrix (cells only, no axes).
uri = re.search(r'<image class="cells"[^>]* href="(data:image/png;base64,[^"]+)"', svg).group(1)
icon = f'''<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="256" height="256" viewBox="0 0 256 256">
<title>Invariance Lab</title>
<defs><clipPath id="round"><rect x="8" y="8" width="240" height="240" rx="36" ry="36"/></clipPath></defs>
<rect x="8" y="8" width="240" height="240" rx="36" ry="36" fill="#440154"/>
<image x="8" y="8" width="240" height="240" preserveAspectRatio="none" clip-path="url(#round)" image-rendering="optimizeSpeed" style="image-rendering:pixelated" href="{uri}" xlink:href="{uri}"/>
<rect x="8" y="8" width="240" height="240" rx="36" ry="36" fill="none" stroke="#2a2a2a" stroke-width="4"/>
</svg>
'''
open(sys.argv[2], "w").write(icon)
PY
rsvg-convert -w 256 -h 256 assets/invariance-lab.svg -o assets/invariance-lab-256.png
echo "wrote assets/invariance-lab.svg and assets/invariance-lab-256.png"
