import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { countUpdateClock } from './update-edits';

function metaCount(update: Uint8Array): number {
  const meta = Y.parseUpdateMeta(update);
  let total = 0;
  for (const [client, to] of meta.to) total += to - (meta.from.get(client) ?? 0);
  return total;
}

describe('countUpdateClock', () => {
  it('agrees with Y.parseUpdateMeta on single, merged and diffed updates', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const updates: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => updates.push(u));
    b.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'a') updates.push(u);
    });
    const ta = a.getText('content');
    const tb = b.getText('content');
    for (let i = 0; i < 200; i++) {
      const t = i % 3 === 0 ? tb : ta;
      const pos = (i * 7919) % (t.length + 1);
      if (i % 5 === 0 && pos > 0) {
        t.doc?.transact(() => {
          t.delete(pos - 1, 1);
          t.insert(pos - 1, 'é');
        });
      } else {
        t.insert(pos, i % 11 === 0 ? 'xy😀' : 'x');
      }
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'a');
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'b');
    }
    a.getMap('meta').set('title', 'T');
    updates.push(Y.encodeStateAsUpdate(a));
    updates.push(Y.mergeUpdates(updates.slice(0, 50)));
    updates.push(Y.encodeStateAsUpdate(a, Y.encodeStateVector(new Y.Doc())));
    for (const update of updates) expect(countUpdateClock(update)).toBe(metaCount(update));
  });

  it('counts one per one-character insert', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 10; i++) doc.getText('content').insert(i, 'a');
    expect(updates.map(countUpdateClock)).toEqual(Array(10).fill(1));
    expect(countUpdateClock(Y.mergeUpdates(updates))).toBe(10);
  });
});
