/**
 * The relay's load-driven batching (room.ts, write-coalescer.ts, doc-persister.ts): updates of
 * one turn go out as one frame per recipient, and a busy document is written at most every
 * `commitIntervalMs`.
 */
import { MemoryDocStore } from '@weft/storage';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocPersister } from './doc-persister';
import { silentLogger } from './logger';
import { editFrom, RecordingMember, testRoom } from './room-test-support';

const options = { compactUpdates: 1000, compactBytes: 1 << 22 };
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('broadcast batching', () => {
  it('sends the updates of one turn as one frame, never returning a sender its own update', async () => {
    const room = testRoom('batching');
    const a = new RecordingMember();
    const b = new RecordingMember();
    const reader = new RecordingMember();
    for (const m of [a, b, reader]) room.members.add(m);
    Y.applyUpdate(room.doc, editFrom(1, 'from a'), a);
    Y.applyUpdate(room.doc, editFrom(2, 'from b'), b);
    await nextTurn();
    expect(reader.updateFrames()).toBe(1);
    expect(a.updateFrames()).toBe(1);
    expect(b.updateFrames()).toBe(1);
    expect(Y.encodeStateVector(reader.received())).toEqual(Y.encodeStateVector(room.doc));
    expect([...Y.decodeStateVector(Y.encodeStateVector(a.received())).keys()]).toEqual([2]);
    expect([...Y.decodeStateVector(Y.encodeStateVector(b.received())).keys()]).toEqual([1]);
    await room.persister.flush();
    room.destroy();
  });
});

describe('commit interval', () => {
  it('writes an edit after a quiet moment at once and a busy document at most every interval', async () => {
    const store = new MemoryDocStore();
    const doc = new Y.Doc();
    const appends: number[] = [];
    const original = store.append.bind(store);
    store.append = (name, updates, opts) => {
      appends.push(performance.now());
      return original(name, updates, opts);
    };
    const persister = new DocPersister(
      'busy',
      doc,
      store,
      { ...options, commitIntervalMs: 40 },
      {
        onSaved: () => undefined,
        onBatchWritten: () => undefined,
        onStorageError: () => undefined,
      },
      silentLogger(),
    );
    doc.on('update', (update: Uint8Array) => persister.enqueue(update));
    const started = performance.now();
    doc.getText('content').insert(0, 'x');
    await nextTurn();
    expect((appends[0] ?? Infinity) - started).toBeLessThan(20);
    for (let i = 0; i < 30; i++) {
      doc.getText('content').insert(0, 'y');
      await sleep(5);
    }
    await persister.flush();
    const gaps = appends.slice(1).map((t, i) => t - (appends[i] ?? 0));
    expect(gaps.length).toBeGreaterThan(1);
    // Timers may fire up to a millisecond early.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(38);
    persister.stop();
  });
});
