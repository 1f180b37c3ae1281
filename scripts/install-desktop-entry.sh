#!/usr/bin/env bash
# Installs Invariance Lab's desktop entry and icon for the current user, so the app shows
# in application menus and opens experiment files (.json) from a file manager
# ("Open with Invariance Lab"). Nothing outside $HOME is touched; no root needed.
#
# Install the binary first: `cargo install --path .` (puts `invariance-lab` in
# ~/.cargo/bin, which must be on the PATH of your desktop session).
#
# Usage: scripts/install-desktop-entry.sh [--uninstall]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor"

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$apps/invariance-lab.desktop" \
        "$icons/scalable/apps/invariance-lab.svg" \
        "$icons/256x256/apps/invariance-lab.png"
    echo "removed the Invariance Lab desktop entry and icons"
elif [ -n "${1:-}" ]; then
    echo "usage: $0 [--uninstall]" >&2
    exit 2
else
    if ! command -v invariance-lab >/dev/null 2>&1; then
        echo "note: invariance-lab is not on the PATH; run \`cargo install --path .\` and make sure ~/.cargo/bin is on your session's PATH" >&2
    fi
    install -D -m 644 "$here/assets/invariance-lab.desktop" "$apps/invariance-lab.desktop"
    install -D -m 644 "$here/assets/invariance-lab.svg" "$icons/scalable/apps/invariance-lab.svg"
    install -D -m 644 "$here/assets/invariance-lab-256.png" "$icons/256x256/apps/invariance-lab.png"
    echo "installed $apps/invariance-lab.desktop and icons under $icons"
fi

# Refresh the menus' and icon caches where the tools exist (both are optional).
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$apps" || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons/index.theme" ]; then
    gtk-update-icon-cache -q "$icons" || true
fi
