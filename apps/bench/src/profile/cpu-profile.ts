/**
 * Summarises a V8 `.cpuprofile`: from `node --cpu-prof` (`pnpm bench relay --cpu-prof DIR`) or
 * from Chromium's profiler (`pnpm bench browser-latency --cpu-prof DIR`), which share the format.
 *
 * Self time says which functions burn the CPU; total time (the function and everything it
 * called) says which paths do. Both were needed to find this project's hot spots: the relay's
 * write system calls show up as self time of a native function, while the pages' Markdown
 * re-parsing only made sense as total time under CodeMirror's state update.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
    columnNumber?: number;
  };
  readonly children?: readonly number[];
}

export interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface HotSpot {
  readonly name: string;
  /** Time in the function itself (or in the package's functions). */
  readonly selfMs: number;
  /** Time in the function and everything it called; equals selfMs for packages. */
  readonly totalMs: number;
  /** The time it is ranked by (self or total) as a share of the busy time; 0 if none. */
  readonly share: number;
}

export interface ProfileSummary {
  /**
   * Sampled time that was not idle. It includes `(program)`: native work outside JavaScript,
   * which in a browser page is mostly style, layout and paint.
   */
  readonly busyMs: number;
  readonly idleMs: number;
  /** Samples naming a node the profile does not contain (a truncated file); not counted. */
  readonly unknownSamples: number;
  /** Top functions by self time. */
  readonly bySelf: HotSpot[];
  /** Top functions by total time. */
  readonly byTotal: HotSpot[];
  /** Packages by self time. */
  readonly packages: HotSpot[];
}

/** Groups a script URL by package (`yjs`, `ws`, `apps/relay`…) or `(native/gc)`. */
export function packageOf(url: string): string {
  if (url === '') return '(native/gc)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm?.[1] !== undefined) return pnpm[1];
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm?.[1] !== undefined) return nm[1];
  const ws = /\/(apps\/[^/]+|packages\/[^/]+)\//.exec(url);
  if (ws?.[1] !== undefined) return ws[1];
  if (url.startsWith('node:')) return 'node';
  // A page's script: its file name (the host and port change from run to run).
  if (/^https?:\/\//.test(url)) return url.split('/').pop() ?? url;
  return url;
}

/** The frame of samples in which the thread had nothing to do. */
const IDLE = '(idle)';

/**
 * A function's identity. Minified bundles put many functions on one line, often with the same
 * short name, so the column is part of it.
 */
function identity(node: ProfileNode): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  return `${functionName}\u0000${url}\u0000${lineNumber}\u0000${columnNumber ?? -1}`;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  const file = url.split('/').slice(-2).join('/');
  const column = columnNumber === undefined || columnNumber < 0 ? '' : `:${columnNumber + 1}`;
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}${column}`;
}

/** The `top` largest `entries` by `by`, as hot spots. */
function ranked(
  entries: Iterable<{ name: string; selfMs: number; totalMs: number }>,
  by: 'selfMs' | 'totalMs',
  busyMs: number,
  top: number,
): HotSpot[] {
  return [...entries]
    .map((e) => ({ ...e, share: busyMs > 0 ? e[by] / busyMs : 0 }))
    .sort((a, b) => b[by] - a[by])
    .slice(0, top);
}

export function summariseProfile(profile: Profile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  /** Per function identity: its label, self and total time. */
  const functions = new Map<string, { name: string; selfMs: number; totalMs: number }>();
  const entry = (node: ProfileNode) => {
    const key = identity(node);
    let found = functions.get(key);
    if (!found) {
      found = { name: label(node), selfMs: 0, totalMs: 0 };
      functions.set(key, found);
    }
    return found;
  };
  const packages = new Map<string, number>();
  let busyMs = 0;
  let idleMs = 0;
  let unknownSamples = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (!leaf) {
      unknownSamples++;
      return;
    }
    if (leaf.callFrame.functionName === IDLE) {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    entry(leaf).selfMs += ms;
    const pkg =
      leaf.callFrame.functionName === '(garbage collector)'
        ? '(gc)'
        : packageOf(leaf.callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
    // A recursive function counts once per sample in its total.
    const seen = new Set<string>();
    for (
      let node: ProfileNode | undefined = leaf;
      node;
      node = byId.get(parent.get(node.id) ?? -1)
    ) {
      if (node.callFrame.functionName === '(root)') break;
      const key = identity(node);
      if (seen.has(key)) continue;
      seen.add(key);
      entry(node).totalMs += ms;
    }
  });
  return {
    busyMs,
    idleMs,
    unknownSamples,
    bySelf: ranked(functions.values(), 'selfMs', busyMs, top),
    byTotal: ranked(functions.values(), 'totalMs', busyMs, top),
    packages: ranked(
      [...packages].map(([name, ms]) => ({ name, selfMs: ms, totalMs: ms })),
      'selfMs',
      busyMs,
      top,
    ),
  };
}

/** Reads and summarises a `.cpuprofile`; a file that is not one is a clear error. */
export function summarise(file: string, top = 25): ProfileSummary {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${file}: cannot read a CPU profile (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isProfile(parsed)) {
    throw new Error(`${file}: not a V8 CPU profile (no nodes, samples and timeDeltas arrays)`);
  }
  return summariseProfile(parsed, top);
}

function isProfile(value: unknown): value is Profile {
  if (typeof value !== 'object' || value === null) return false;
  const { nodes, samples, timeDeltas } = value as Record<string, unknown>;
  return Array.isArray(nodes) && Array.isArray(samples) && Array.isArray(timeDeltas);
}
