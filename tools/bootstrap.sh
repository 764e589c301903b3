#!/usr/bin/env bash
# Create .venv from pyproject.toml once, as fast as this machine allows; every later call with the same
# pyproject.toml (and package.json) does nothing. Used by the Makefile and .ci/run.
#
# With uv (already on PATH, or installed from PyPI into a cache folder outside the clone on first use):
# `uv venv` + `uv pip install` of the dependencies and extras; uv keeps a package cache, so a fresh clone on
# a machine that installed them before copies them in seconds. Falls back to venv + pip when uv cannot be
# had. Also runs `npm ci` for the Allure report (package-lock.json) when Node.js is there and node_modules
# lacks it, so that no later step (pytest in parallel, the report) installs it again.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv
extras="${EXTRAS:-platform,dev}"
want="$(cat pyproject.toml package.json 2>/dev/null | sha256sum | cut -c1-16) $extras"
stamp="$venv/.installed"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

find_uv() {
  if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
  local home="${XDG_CACHE_HOME:-$HOME/.cache}/platform-acceptance/uv"
  if [ ! -x "$home/bin/uv" ]; then
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
      --target "$home" 'uv>=0.5,<1' >/dev/null 2>&1 || return 1
  fi
  "$home/bin/uv" --version >/dev/null 2>&1 && echo "$home/bin/uv"
}

installed=""
if uv="$(find_uv)"; then
  extra_args=()
  IFS=, read -ra names <<< "$extras"
  for name in "${names[@]}"; do extra_args+=(--extra "$name"); done
  if UV_PYTHON_DOWNLOADS=never "$uv" venv --quiet --allow-existing --python "$(command -v python3)" "$venv" &&
     "$uv" pip install --quiet --python "$venv/bin/python" -r pyproject.toml "${extra_args[@]}"; then
    installed="uv $("$uv" --version | cut -d' ' -f2)"
  fi
fi
if [ -z "$installed" ]; then
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
  installed="pip"
fi

if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  pinned="$(node -p 'require("./package.json").devDependencies.allure' 2>/dev/null || true)"
  have="$(node -p 'require("./node_modules/allure/package.json").version' 2>/dev/null || true)"
  if [ -n "$pinned" ] && [ "$pinned" != "$have" ]; then
    npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null || echo "npm ci failed: the HTML report will retry it"
  fi
fi
echo "$want" > "$stamp"
echo "virtualenv $venv ready ($installed)"
