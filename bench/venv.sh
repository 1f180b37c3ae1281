# Sourced by the bench scripts: makes sure bench/.venv exists and has every Python
# module the calling script needs. The venv is shared, so whichever script created
# it may have installed only its own modules; each script therefore imports each
# module it needs and pip-installs the missing ones.
# Usage: ensure_venv MODULE[:PIP_PACKAGE]…   (e.g. ensure_venv numpy igraph:python-igraph)
ensure_venv() {
  if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
  fi
  local missing=() spec module package
  for spec in "$@"; do
    module=${spec%%:*}
    package=${spec#*:}
    if ! bench/.venv/bin/python -c "import $module" 2>/dev/null; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    bench/.venv/bin/pip install --quiet "${missing[@]}"
  fi
}
