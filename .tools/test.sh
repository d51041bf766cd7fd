#!/usr/bin/env bash
# `npm test`: install everything the checks need, then run every check. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .tools/ensure-pnpm.sh
bash .tools/ensure-test-packages.sh
pnpm install --frozen-lockfile

step() { printf '\n== %s ==\n' "$*"; }
step "format"; pnpm run format:check
step "lint"; pnpm run lint
step "typecheck"; pnpm run typecheck
step "unit and integration tests"; pnpm run test:unit
step "build"; pnpm run build
step "end-to-end tests"; pnpm run test:e2e
# Benchmarks never fail on a number; their quick modes run here so the code cannot rot.
step "benchmarks (quick)"
for benchmark in ot-vs-crdt relay cold-load idle-connections browser-latency editor history; do
  pnpm bench "$benchmark" --quick
done
