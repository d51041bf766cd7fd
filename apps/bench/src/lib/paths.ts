/** Where things are, found from this file's location rather than the working directory. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The monorepo root: the nearest ancestor holding pnpm-workspace.yaml. */
export function repoRoot(): string {
  let dir = here;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No pnpm-workspace.yaml above ${here}`);
    dir = parent;
  }
  return dir;
}

/** The shared editing traces: `../shared/traces` from the repository root. */
export const defaultTracesDir = (): string => resolve(repoRoot(), '..', 'shared', 'traces');

/** Benchmark output, committed so the README can show it. */
export const defaultResultsDir = (): string => resolve(here, '..', '..', 'results');
