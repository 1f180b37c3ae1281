#!/usr/bin/env bash
# Renders one screenshot per main view and per preset into screenshots/, under Xvfb
# with Mesa's software OpenGL (the glow renderer).
#
# Needs (Debian): apt-get install -y xvfb xauth libgl1-mesa-dri libegl1 libxkbcommon-x11-0
# Usage: scripts/screenshots.sh [path/to/invariance-lab]   (default: a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/release/invariance-lab}"
if [[ ! -x "$BIN" ]]; then
    cargo build --release
fi
OUT=screenshots
mkdir -p "$OUT"
export INVARIANCE_LAB_NO_DIALOGS=1
# Software rendering; no desktop portal; a fixed scale so screenshots are comparable.
export LIBGL_ALWAYS_SOFTWARE=1 WINIT_UNIX_BACKEND=x11 WAYLAND_DISPLAY= WINIT_X11_SCALE_FACTOR=1

# The 1600 x 1000 window sits at the top left of a bigger screen, so the X pointer,
# which starts at the screen's centre, is outside it and no hover tooltip shows.
shot() {
    local name="$1"; shift
    echo "== $name: $*"
    xvfb-run -a -s "-screen 0 3400x2200x24" "$BIN" gui "$@" --screenshot "$OUT/$name.png"
}

# One per main view, on the central story: ring-shift trained, searched, recovered.
shot overview       --preset ring-shift --steps 400 --search --order recovered --view overview
shot weights-stored --preset ring-shift --steps 400 --order stored --view weights
shot weights-truth  --preset ring-shift --steps 400 --order truth --view weights
shot weights-recovered --preset ring-shift --steps 400 --search --order recovered --view weights
shot learning       --preset ring-shift --steps 400 --view learning
shot stimulus       --preset ring-shift --steps 50 --view stimulus
shot transformation --preset ring-shift --steps 400 --search --view transformation
shot transform-ring-shift --preset ring-shift --steps 100 --search --view transformation
shot stimulus-2d    --preset image-rotate --steps 50 --view stimulus
# The photo turning under the quarter turn the network found by itself.
shot transform-image-rotate --preset image-rotate --steps 1500 --search --select "rotate 90°" --view transformation
shot presentation   --preset ring-shift --steps 400 --search --order recovered --presentation
# The 16,384-neuron layer after its default training (block means of the 1 GiB W).
shot preset-torus-large --preset torus-large --steps 600 --view overview
# ... and the horizontal translation its search finds, moving a blob on the 32 x 32 torus.
shot transform-torus-large --preset torus-large --steps 600 --search --search-time 900 --select "translate (+1, 0)" --view transformation
# The light theme, and two steps of the lecture tour.
shot overview-light --preset ring-shift --steps 400 --search --order recovered --view overview --theme light
shot tour-4-shift-recovered --tour-step 4 --presentation
shot tour-7-photo-turns --tour-step 7
# The inspector with the start pins (click to inspect).
shot inspect-pins --preset ring-shift --steps 2000 --inspect --theme light
# The log-polar retina: overview, recovered heatmap, the photo turning in
# 7.5° steps under the rotation the search found (third panel: the whole photo turned).
shot polar-overview  --preset polar-rotate --steps 400 --search --order recovered --view overview
shot polar-weights-recovered --preset polar-rotate --steps 400 --search --select "rotate 7.5°" --order recovered --view weights
shot transform-polar-rotate --preset polar-rotate --steps 400 --search --select "rotate 7.5°" --view transformation
shot transform-polar-zoom --preset polar-zoom --steps 400 --search --select "rotate 7.5°" --view transformation
shot stimulus-polar  --preset polar-rotate --steps 50 --view stimulus
# The sound world: a tone's log-frequency spectrum with note names.
shot stimulus-audio  --preset audio-pitch --steps 50 --view stimulus
# Learned receptive fields: mid-way through the field phase, and after it.
shot stimulus-learned-fields --preset ring-learned --steps 150 --view stimulus
shot stimulus-learned --preset ring-learned --steps 3500 --view stimulus
# The learned world's group (D_64 × C_2) with the unit shift offered first, and the
# shift acting on a sample.
shot preset-ring-learned --preset ring-learned --steps 3500 --search --order recovered
shot transform-ring-learned --preset ring-learned --steps 3500 --search --view transformation
# Fields learned from photos on the torus: the gallery of the shared kernels
# after the default run, and the group C_16 × C_16 found in the learned graph.
shot stimulus-torus-learned --preset torus-learned --steps 2000 --view stimulus
shot preset-torus-learned --preset torus-learned --steps 2000 --search --search-time 600 --order recovered

# Bring your own work. A learned matrix exported to .npy and opened as an
# imported graph — what a researcher does with their own model's weights — with node
# names from a labels file; then runs overlaid on the learning curves.
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
"$BIN" train --preset ring-shift --steps 400 --out "$WORK/ring.json" >/dev/null
"$BIN" export --weights "$WORK/ring.npy" "$WORK/ring.json" >/dev/null
for i in $(seq 0 255); do echo "unit$i"; done > "$WORK/units.txt"
shot imported-matrix "$WORK/ring.npy" --labels "$WORK/units.txt" --search --order recovered --view weights
for seed in 2 3; do
    "$BIN" train --preset ring-shift --seed "$seed" --steps 2000 --out "$WORK/seed$seed.json" >/dev/null
done
"$BIN" train --preset ring-shift --batch 10 --steps 2000 --out "$WORK/batch10.json" >/dev/null
shot compare-runs --preset ring-shift --steps 2000 --view learning \
    --compare "$WORK/seed2.json" --compare "$WORK/seed3.json" --compare "$WORK/batch10.json"

# One per preset (overview, trained to its default length, searched).
for preset in ring-shift ring-random torus-translate square-rotate image-rotate ring-temporal polar-rotate polar-zoom; do
    shot "preset-$preset" --preset "$preset" --steps "${STEPS:-200}" --search --order recovered
done
echo "screenshots written to $OUT/"
