#!/usr/bin/env bash
# Installs what the person's-view tests need: Debian's Chromium (headless screenshots of the reports).
# Needs root (as on CI and the dev machines); without it, those tests skip with a stated reason.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != "0" ]; then echo "not root: cannot apt-get install chromium"; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null 2>&1
