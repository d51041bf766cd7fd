#!/usr/bin/env bash
# `npm start`: install everything, build the web app, and start the relay that serves it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .tools/ensure-pnpm.sh
pnpm install --frozen-lockfile
pnpm run build
# The compiled relay, exec'd so that SIGTERM and SIGINT reach it (and its graceful shutdown).
exec node apps/relay/dist/main.js
