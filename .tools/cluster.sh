#!/usr/bin/env bash
# `pnpm cluster`: PostgreSQL, Redis, two relays and nginx on this machine (cluster mode).
# Builds the web app and the relay first when they are not built. Needs Debian's postgresql,
# redis-server and nginx packages (npm test installs them: .tools/ensure-test-packages.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
for binary in /usr/sbin/nginx /usr/bin/redis-server; do
  if [ ! -x "$binary" ]; then
    echo "pnpm cluster needs $binary: apt-get install postgresql redis-server nginx" >&2
    exit 1
  fi
done
if [ ! -f apps/relay/dist/main.js ] || [ ! -d apps/relay/dist/web ]; then
  pnpm build
fi
exec node --import tsx packages/testkit/src/run-cluster.ts
