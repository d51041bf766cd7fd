#!/usr/bin/env bash
# Playwright cannot download its own browsers here, so the e2e tests drive Debian's Chromium.
# Installs it with apt when no Chromium is present (root on Debian; otherwise say what to do).
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$candidate" ]; then exit 0; fi
done
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "weft: no Chromium found. Install Debian's 'chromium' package or set CHROMIUM_PATH." >&2
  exit 1
fi
echo "weft: installing Chromium from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
