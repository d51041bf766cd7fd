#!/usr/bin/env bash
# `npm start`: install everything, build the web app, and start the relay that serves it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .tools/ensure-pnpm.sh
pnpm install --frozen-lockfile
pnpm run build
exec pnpm run relay
