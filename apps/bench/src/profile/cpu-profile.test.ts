import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageOf, summarise, summariseProfile, type Profile } from './cpu-profile';

const frame = (functionName: string, url = '', lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

/**
 * root → main → { parse (recursive: parse → parse), write }, plus idle.
 * Samples: parse×2 (outer), parse×1 (inner, recursive), write×3, main×1, idle×4; 1 ms each.
 */
const profile: Profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 6] },
    { id: 2, callFrame: frame('main', 'file:///w/apps/relay/src/main.ts', 9), children: [3, 5] },
    {
      id: 3,
      callFrame: frame('parse', 'file:///w/node_modules/.pnpm/yjs@13/node_modules/yjs/a.mjs', 0),
      children: [4],
    },
    {
      id: 4,
      callFrame: frame('parse', 'file:///w/node_modules/.pnpm/yjs@13/node_modules/yjs/a.mjs', 0),
    },
    { id: 5, callFrame: frame('write') },
    { id: 6, callFrame: frame('(idle)') },
  ],
  samples: [3, 3, 4, 5, 5, 5, 2, 6, 6, 6, 6],
  timeDeltas: Array<number>(11).fill(1000),
};

describe('summariseProfile', () => {
  const summary = summariseProfile(profile);

  it('splits busy from idle time', () => {
    expect(summary.busyMs).toBe(7);
    expect(summary.idleMs).toBe(4);
  });

  it('ranks functions by self time', () => {
    expect(summary.bySelf.map((s) => [s.name, s.selfMs])).toEqual([
      ['parse yjs/a.mjs:1', 3],
      ['write :1', 3],
      ['main src/main.ts:10', 1],
    ]);
  });

  it('counts a recursive function once per sample in its total time', () => {
    const total = Object.fromEntries(summary.byTotal.map((s) => [s.name, s.totalMs]));
    expect(total).toEqual({ 'main src/main.ts:10': 7, 'parse yjs/a.mjs:1': 3, 'write :1': 3 });
    expect(summary.byTotal[0]?.share).toBe(1);
  });

  it('groups self time by package', () => {
    expect(summary.packages.map((p) => [p.name, p.selfMs])).toEqual([
      ['yjs', 3],
      ['(native/gc)', 3],
      ['apps/relay', 1],
    ]);
  });

  it('names page scripts by file', () => {
    expect(packageOf('http://127.0.0.1:4000/assets/EditorPage-x1.js')).toBe('EditorPage-x1.js');
    expect(packageOf('node:internal/streams')).toBe('node');
  });

  it('keeps apart functions of one name on one line (minified code) by column', () => {
    const bundle = 'http://127.0.0.1:1/assets/app.js';
    const minified: Profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3] },
        { id: 2, callFrame: { ...frame('e', bundle, 0), columnNumber: 10 } },
        { id: 3, callFrame: { ...frame('e', bundle, 0), columnNumber: 900 } },
      ],
      samples: [2, 3, 3],
      timeDeltas: [1000, 1000, 1000],
    };
    expect(summariseProfile(minified).bySelf.map((s) => [s.name, s.selfMs])).toEqual([
      ['e assets/app.js:1:901', 2],
      ['e assets/app.js:1:11', 1],
    ]);
  });

  it('reports samples of unknown nodes and gives no shares without busy time', () => {
    const odd: Profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2] },
        { id: 2, callFrame: frame('f') },
      ],
      samples: [2, 7],
      timeDeltas: [0, 1000],
    };
    const summary = summariseProfile(odd);
    expect(summary.unknownSamples).toBe(1);
    expect(summary.busyMs).toBe(0);
    expect(summary.bySelf[0]?.share).toBe(0);
  });

  it('names the file when it is not a CPU profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-profile-'));
    const notJson = join(dir, 'a.cpuprofile');
    const trace = join(dir, 'b.cpuprofile');
    writeFileSync(notJson, 'not json');
    writeFileSync(trace, JSON.stringify({ traceEvents: [] }));
    expect(() => summarise(notJson)).toThrow(`${notJson}: cannot read a CPU profile`);
    expect(() => summarise(trace)).toThrow(`${trace}: not a V8 CPU profile`);
  });
});
