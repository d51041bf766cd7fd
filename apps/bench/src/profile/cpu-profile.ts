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
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
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
  /** selfMs (functions: totalMs when sorted by total) as a share of the busy time. */
  readonly share: number;
}

export interface ProfileSummary {
  /** Sampled time that was not idle. */
  readonly busyMs: number;
  readonly idleMs: number;
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

/** Frames that are not code: time outside JavaScript. */
const IDLE = '(idle)';

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.split('/').slice(-2).join('/');
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

export function summariseProfile(profile: Profile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const pkg = new Map<string, number>();
  let busyMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (!leaf) return;
    if (leaf.callFrame.functionName === IDLE) {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const key = label(leaf);
    self.set(key, (self.get(key) ?? 0) + ms);
    const p =
      leaf.callFrame.functionName === '(garbage collector)'
        ? '(gc)'
        : packageOf(leaf.callFrame.url);
    pkg.set(p, (pkg.get(p) ?? 0) + ms);
    // A recursive function counts once per sample in its total.
    const seen = new Set<string>();
    for (
      let node: ProfileNode | undefined = leaf;
      node;
      node = byId.get(parent.get(node.id) ?? -1)
    ) {
      if (node.callFrame.functionName === '(root)') break;
      const name = label(node);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  const spots = (names: Iterable<string>, by: 'self' | 'total'): HotSpot[] =>
    [...names]
      .map((name) => {
        const selfMs = self.get(name) ?? 0;
        const totalMs = total.get(name) ?? selfMs;
        return { name, selfMs, totalMs, share: (by === 'self' ? selfMs : totalMs) / busyMs };
      })
      .sort((a, b) => b.share - a.share)
      .slice(0, top);
  return {
    busyMs,
    idleMs,
    bySelf: spots(self.keys(), 'self'),
    byTotal: spots(total.keys(), 'total'),
    packages: [...pkg.entries()]
      .map(([name, ms]) => ({ name, selfMs: ms, totalMs: ms, share: ms / busyMs }))
      .sort((a, b) => b.share - a.share)
      .slice(0, top),
  };
}

export function summarise(file: string, top = 25): ProfileSummary {
  return summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile, top);
}
