import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeLog } from './merge-log';

/** A document typed and partly deleted by two users, and its updates in the order made. */
function editingLog(): { updates: Uint8Array[]; text: string } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const updates: Uint8Array[] = [];
  const relayTo = (to: Y.Doc) => (update: Uint8Array, origin: unknown) => {
    if (origin === 'remote') return;
    updates.push(update);
    Y.applyUpdate(to, update, 'remote');
  };
  a.on('update', relayTo(b));
  b.on('update', relayTo(a));
  for (let i = 0; i < 200; i++) {
    const doc = i % 2 === 0 ? a : b;
    const text = doc.getText('content');
    text.insert(text.length, `word${String(i)} `);
    if (i % 5 === 4) text.delete(0, 3);
  }
  return { updates, text: a.getText('content').toString() };
}

const textOf = (update: Uint8Array): string => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('content').toString();
};

describe('mergeLog', () => {
  it('builds the same document as the whole log, without the deleted content', () => {
    const { updates, text } = editingLog();
    const merged = mergeLog(updates);
    expect(textOf(merged)).toBe(text);
    expect(merged.byteLength).toBeLessThan(Y.mergeUpdates(updates).byteLength);
  });

  it('does not depend on the order of the log', () => {
    const { updates, text } = editingLog();
    expect(textOf(mergeLog([...updates].reverse()))).toBe(text);
  });

  it('returns a single update unchanged', () => {
    const { updates } = editingLog();
    const only = Y.mergeUpdates(updates);
    expect(mergeLog([only])).toBe(only);
  });
});
