/**
 * Loading the editing traces (format: ../shared/traces/README.md). A patch is
 * `[position, deleteCount, insertedText]` with positions in code points.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type Patch = readonly [position: number, deleteCount: number, inserted: string];

export interface SequentialTrace {
  readonly kind: 'sequential';
  readonly name: string;
  readonly startContent: string;
  /** The expected result; `null` when the trace was truncated and no longer ends there. */
  readonly endContent: string | null;
  readonly txns: readonly (readonly Patch[])[];
  /** Whether any text has characters outside the BMP (code points ≠ UTF-16 units). */
  readonly astral: boolean;
}

export interface ConcurrentTxn {
  readonly parents: readonly number[];
  readonly agent: number;
  readonly patches: readonly Patch[];
}

export interface ConcurrentTrace {
  readonly kind: 'concurrent';
  readonly name: string;
  readonly endContent: string | null;
  readonly numAgents: number;
  readonly txns: readonly ConcurrentTxn[];
  readonly astral: boolean;
}

export const SEQUENTIAL_TRACES = [
  'automerge-paper',
  'seph-blog1',
  'friendsforever_flat',
  'clownschool_flat',
] as const;
export const CONCURRENT_TRACES = ['friendsforever', 'clownschool'] as const;

const ASTRAL = /[\uD800-\uDFFF]/;

function readJson(dir: string, file: string): unknown {
  return JSON.parse(gunzipSync(readFileSync(join(dir, file))).toString('utf8'));
}

function fail(file: string, problem: string): never {
  throw new Error(`Trace ${file}: ${problem}`);
}

function asPatches(value: unknown, file: string): Patch[] {
  if (!Array.isArray(value)) fail(file, 'patches is not an array');
  return value.map((p: unknown) => {
    if (
      !Array.isArray(p) ||
      typeof p[0] !== 'number' ||
      typeof p[1] !== 'number' ||
      typeof p[2] !== 'string'
    ) {
      fail(file, `bad patch ${JSON.stringify(p)}`);
    }
    return [p[0], p[1], p[2]] as const;
  });
}

const hasAstral = (end: string, txns: readonly { patches: readonly Patch[] }[]): boolean =>
  ASTRAL.test(end) || txns.some((t) => t.patches.some((p) => ASTRAL.test(p[2])));

/** Loads `sequential-<name>.json.gz`, keeping at most `limit` transactions. */
export function loadSequential(dir: string, name: string, limit = Infinity): SequentialTrace {
  const file = `sequential-${name}.json.gz`;
  const raw = readJson(dir, file) as {
    startContent?: unknown;
    endContent?: unknown;
    txns?: unknown;
  };
  if (typeof raw.startContent !== 'string' || typeof raw.endContent !== 'string') {
    fail(file, 'missing startContent/endContent');
  }
  if (!Array.isArray(raw.txns)) fail(file, 'missing txns');
  const all = (raw.txns as { patches?: unknown }[]).map((t) => ({
    patches: asPatches(t.patches, file),
  }));
  const txns = all.slice(0, limit);
  return {
    kind: 'sequential',
    name,
    startContent: raw.startContent,
    endContent: txns.length === all.length ? raw.endContent : null,
    txns: txns.map((t) => t.patches),
    astral: hasAstral(raw.endContent, all),
  };
}

/** Loads `concurrent-<name>.json.gz`, keeping at most `limit` transactions. */
export function loadConcurrent(dir: string, name: string, limit = Infinity): ConcurrentTrace {
  const file = `concurrent-${name}.json.gz`;
  const raw = readJson(dir, file) as { endContent?: unknown; numAgents?: unknown; txns?: unknown };
  if (typeof raw.endContent !== 'string' || typeof raw.numAgents !== 'number') {
    fail(file, 'missing endContent/numAgents');
  }
  if (!Array.isArray(raw.txns)) fail(file, 'missing txns');
  const all = (raw.txns as Record<string, unknown>[]).map((t, i): ConcurrentTxn => {
    const parents = t.parents;
    if (!Array.isArray(parents) || !parents.every((p) => typeof p === 'number' && p < i)) {
      fail(file, `txn ${i} has parents that are not earlier txns`);
    }
    if (typeof t.agent !== 'number') fail(file, `txn ${i} has no agent`);
    return { parents: parents as number[], agent: t.agent, patches: asPatches(t.patches, file) };
  });
  const txns = all.slice(0, limit);
  return {
    kind: 'concurrent',
    name,
    endContent: txns.length === all.length ? raw.endContent : null,
    numAgents: raw.numAgents,
    txns,
    astral: hasAstral(raw.endContent, all),
  };
}
