#!/usr/bin/env bash
# Installs the pnpm version pinned in package.json when it is missing or different.
# Corepack cannot verify signatures on this kind of machine, so npm installs pnpm itself.
set -euo pipefail
cd "$(dirname "$0")/.."
wanted=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$wanted" ]; then
  echo "weft: installing pnpm@$wanted with npm"
  npm install --global --no-fund --no-audit "pnpm@$wanted"
fi
