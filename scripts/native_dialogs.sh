#!/usr/bin/env bash
# Drives the app's native file dialogs (rfd → xdg-desktop-portal → GTK file chooser) under
# Xvfb: trains an experiment with the CLI, opens it through File ▸ Open… (Ctrl+O), starts
# the run, saves it through File ▸ Save As… (Ctrl+Shift+S) while running, and grabs the
# screen with the dialogs open — to check that the dialogs work and the UI keeps drawing.
#
# Needs (Debian): apt-get install -y xvfb xauth dbus-x11 xdg-desktop-portal
#                 xdg-desktop-portal-gtk xdotool imagemagick
# Usage: scripts/native_dialogs.sh [path/to/invariance-lab] [output dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(realpath "${1:-target/release/invariance-lab}")"
OUT="$(realpath -m "${2:-target/native-dialogs}")"
mkdir -p "$OUT"
rm -f "$OUT/saved.json"
"$BIN" train --preset ring-shift --steps 300 --out "$OUT/trained.json" >/dev/null

cat > "$OUT/session.sh" <<INNER
#!/usr/bin/env bash
/usr/libexec/xdg-desktop-portal-gtk >"$OUT/portal-gtk.log" 2>&1 &
/usr/libexec/xdg-desktop-portal >"$OUT/portal.log" 2>&1 &
sleep 3
export LIBGL_ALWAYS_SOFTWARE=1 WINIT_UNIX_BACKEND=x11 WAYLAND_DISPLAY= WINIT_X11_SCALE_FACTOR=1
"$BIN" gui --preset ring-shift >"$OUT/app.log" 2>&1 &
APP=\$!
sleep 10
WID=\$(xdotool search --name "Invariance Lab" | head -1)
wait_for() { for _ in \$(seq 1 30); do D=\$(xdotool search --name "\$1" 2>/dev/null | head -1); [[ -n "\$D" ]] && { echo "\$D"; return; }; sleep 0.5; done; }
press() { xdotool windowactivate --sync "\$WID" 2>/dev/null; xdotool windowfocus --sync "\$WID"; xdotool mousemove 800 500 click 1; sleep 1; xdotool key --window "\$WID" "\$1"; }
press ctrl+o
D=\$(wait_for "Open experiment"); echo "open dialog: \${D:-none}"; sleep 2
import -window root "$OUT/1-open-dialog.png"
xdotool windowactivate --sync "\$D" 2>/dev/null; xdotool windowfocus --sync "\$D"
xdotool type --delay 60 "$OUT/trained.json"; sleep 1; xdotool key Return; sleep 5
import -window root "$OUT/2-opened.png"
press space
sleep 1
press ctrl+shift+s
D=\$(wait_for "Save experiment"); echo "save dialog: \${D:-none}"; sleep 2
import -window root "$OUT/3-save-dialog-a.png"
sleep 3
import -window root "$OUT/4-save-dialog-b.png"
xdotool windowactivate --sync "\$D" 2>/dev/null; xdotool windowfocus --sync "\$D"
xdotool key ctrl+a; xdotool type --delay 60 "$OUT/saved.json"; sleep 1; xdotool key Return; sleep 5
import -window root "$OUT/5-saved.png"
kill \$APP
INNER
chmod +x "$OUT/session.sh"
xvfb-run -a -s "-screen 0 1600x1000x24" dbus-run-session -- "$OUT/session.sh" 2>/dev/null | grep dialog
if [[ -s "$OUT/saved.json" ]] && "$BIN" info "$OUT/saved.json" >/dev/null; then
    echo "saved through the native dialog and read back: $OUT/saved.json"
else
    echo "FAILED: nothing was saved through the native dialog" >&2
    exit 1
fi
if cmp -s "$OUT/3-save-dialog-a.png" "$OUT/4-save-dialog-b.png"; then
    echo "FAILED: the window did not change while the dialog was open (UI blocked?)" >&2
    exit 1
fi
echo "the window kept drawing while the dialog was open; screenshots in $OUT"
