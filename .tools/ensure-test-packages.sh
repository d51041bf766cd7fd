#!/usr/bin/env bash
# The Debian packages the tests drive, installed with apt when missing (one `apt-get update`
# for all of them; root on Debian, otherwise say what to do):
# - chromium: Playwright cannot download its own browsers here, so the e2e tests drive
#   Debian's (or the one CHROMIUM_PATH names);
# - nginx: the reverse-proxy tests run deploy/nginx.conf in a real nginx (/usr/sbin/nginx);
# - postgresql, redis-server: the storage and cluster tests start their own servers
#   (packages/testkit: initdb into a temp dir; redis-server on a free port).
set -euo pipefail

missing=()
has_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then return 0; fi
  [ -x /usr/bin/chromium ] || [ -x /usr/bin/chromium-browser ]
}
has_chromium || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
[ -x /usr/bin/redis-server ] || missing+=(redis-server)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "weft: missing ${missing[*]}. Install Debian's package(s): apt-get install ${missing[*]}" >&2
  if ! has_chromium; then echo "      (or point CHROMIUM_PATH at a Chromium)." >&2; fi
  exit 1
fi

# The tests start nginx, PostgreSQL and Redis themselves, on free ports in temp dirs. Keep apt
# from also starting the system services on ports 80, 5432 and 6379 (Docker images already
# ship such a policy-rc.d).
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Written by weft ensure-test-packages.sh during apt-get install.\nexit 101\n' >"$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi

echo "weft: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
