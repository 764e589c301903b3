#!/usr/bin/env bash
# Create .venv from pyproject.toml once, as fast as this machine allows; every later call with the same
# pyproject.toml does nothing. Used by the Makefile and .ci/run.
#
# With uv (already on PATH, or installed from PyPI into a cache folder outside the clone on first use):
# `uv venv` + `uv pip install` of the dependencies and extras; uv keeps a package cache, so a fresh clone on
# a machine that installed them before copies them in seconds. Falls back to venv + pip when uv cannot be
# had. With --with-report it also runs `npm ci` for the Allure report (package-lock.json) when Node.js is
# there and node_modules lacks the pinned allure, so that no later step (pytest in parallel, the report)
# installs it again; without it, `python -m signoff report` does that when first needed.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv
extras="${EXTRAS:-platform,dev}"

report_deps() {
  command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 || return 0
  local pinned have
  pinned="$(node -p 'require("./package.json").devDependencies.allure' 2>/dev/null || true)"
  have="$(node -p 'require("./node_modules/allure/package.json").version' 2>/dev/null || true)"
  if [ -n "$pinned" ] && [ "$pinned" != "$have" ]; then
    npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null || echo "npm ci failed: the HTML report will retry it"
  fi
}
if [ "${1:-}" = "--with-report" ]; then report_deps; fi

want="$(sha256sum pyproject.toml | cut -c1-16) $extras"
stamp="$venv/.installed"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

find_uv() {
  if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
  local home="${XDG_CACHE_HOME:-$HOME/.cache}/platform-acceptance/uv"
  if [ ! -x "$home/bin/uv" ]; then  # into a folder of its own, moved in place whole (clones may race)
    local fresh
    mkdir -p "$(dirname "$home")" && fresh="$(mktemp -d "$home.XXXXXX")" || return 1
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
      --target "$fresh" 'uv>=0.5,<1' >/dev/null 2>&1 || { rm -rf "$fresh"; return 1; }
    mv -T "$fresh" "$home" 2>/dev/null || rm -rf "$fresh"
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
echo "$want" > "$stamp"
echo "virtualenv $venv ready ($installed)"
