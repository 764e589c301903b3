#!/usr/bin/env bash
# Installs the Debian packages some tests use, when missing: Chromium (headless screenshots of the
# reports) and PostgreSQL (the platform's checks on PostgreSQL). Needs root, as on CI and the dev
# machines; without them, those tests skip with a stated reason.
set -uo pipefail
wanted=()
command -v chromium >/dev/null 2>&1 || wanted+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || wanted+=(postgresql)
[ ${#wanted[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then echo "not root: cannot apt-get install ${wanted[*]}"; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
