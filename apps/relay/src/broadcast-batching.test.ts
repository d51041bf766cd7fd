/**
 * The relay's load-driven batching (room.ts, write-coalescer.ts, doc-persister.ts): updates of
 * one turn go out as one frame per recipient, and a busy document is written at most every
 * `commitIntervalMs`.
 */
import { MemoryDocStore } from '@weft/storage';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocPersister } from './doc-persister';
import { silentLogger } from './logger';
import { editFrom, RecordingMember, testRoom } from './room-test-support';

const options = { compactUpdates: 1000, compactBytes: 1 << 22 };
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

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
        onStored: () => undefined,
        onBatchWritten: () => undefined,
        onStorageError: () => undefined,
      },
      silentLogger(),
    );
    doc.on('update', (update: Uint8Array) => persister.enqueue(update));
    const started = performance.now();
    doc.getText('content').insert(0, 'x');
    // The first write starts in the same turn as the edit.
    expect(appends).toEqual([started]);
    // An edit every 5 ms for 150 ms: written in batches 40 ms apart, not 30 times.
    for (let i = 0; i < 30; i++) {
      doc.getText('content').insert(0, 'y');
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.runAllTimersAsync();
    await persister.flush();
    const gaps = appends.slice(1).map((t, i) => t - (appends[i] ?? 0));
    expect(gaps).toEqual(Array(gaps.length).fill(40));
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await store.load('busy')) ?? new Uint8Array());
    expect(stored.getText('content').toString()).toBe(doc.getText('content').toString());
    persister.stop();
  });
});
