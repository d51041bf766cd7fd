/**
 * The relay's load-driven batching (room.ts, write-coalescer.ts, doc-persister.ts): updates of
 * one turn go out as one frame per recipient, and a busy document is written once per tick of
 * the commit clock (commit-clock.ts), at the same moment as every other busy document.
 */
import { MemoryDocStore } from '@weft/storage';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocPersister } from './doc-persister';
import { silentLogger } from './logger';
import { editFrom, RecordingMember, testRoom } from './room-test-support';

const options = { compactUpdates: 1000, compactBytes: 1 << 22 };
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const INTERVAL = 40;

/** A memory store that records when each document's appends were made. */
function recordingStore(): { store: MemoryDocStore; appends: Map<string, number[]> } {
  const store = new MemoryDocStore();
  const appends = new Map<string, number[]>();
  const original = store.append.bind(store);
  store.append = (name, updates, opts) => {
    appends.set(name, [...(appends.get(name) ?? []), performance.now()]);
    return original(name, updates, opts);
  };
  return { store, appends };
}

function busyDocument(
  name: string,
  store: MemoryDocStore,
): { doc: Y.Doc; persister: DocPersister } {
  const doc = new Y.Doc();
  const persister = new DocPersister(
    name,
    doc,
    store,
    { ...options, commitIntervalMs: INTERVAL },
    {
      onSaved: () => undefined,
      onStored: () => undefined,
      onBatchWritten: () => undefined,
      onStorageError: () => undefined,
    },
    silentLogger(),
  );
  doc.on('update', (update: Uint8Array) => {
    persister.enqueue(update);
  });
  return { doc, persister };
}

const tickOf = (time: number): number => Math.floor(time / INTERVAL);

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

  it('writes an edit after a quiet moment at once and a busy document once per tick', async () => {
    const { store, appends } = recordingStore();
    const { doc, persister } = busyDocument('busy', store);
    const started = performance.now();
    doc.getText('content').insert(0, 'x');
    // The first write starts in the same turn as the edit.
    expect(appends.get('busy')).toEqual([started]);
    // An edit every 5 ms for 150 ms: written once per tick, at its start, not 30 times.
    for (let i = 0; i < 30; i++) {
      doc.getText('content').insert(0, 'y');
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.runAllTimersAsync();
    await persister.flush();
    const later = appends.get('busy')?.slice(1) ?? [];
    expect(later.length).toBeGreaterThanOrEqual(3);
    expect(later.map((t) => t % INTERVAL)).toEqual(Array(later.length).fill(0));
    const ticks = [started, ...later].map(tickOf);
    expect(new Set(ticks).size).toBe(ticks.length);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await store.load('busy')) ?? new Uint8Array());
    expect(stored.getText('content').toString()).toBe(doc.getText('content').toString());
    persister.stop();
  });

  it('writes busy documents together at each tick, whenever each one began', async () => {
    const { store, appends } = recordingStore();
    const one = busyDocument('one', store);
    const two = busyDocument('two', store);
    // Offsets that per-document intervals would keep apart for good.
    await vi.advanceTimersByTimeAsync(3);
    one.doc.getText('content').insert(0, 'a');
    await vi.advanceTimersByTimeAsync(13);
    two.doc.getText('content').insert(0, 'b');
    for (let i = 0; i < 40; i++) {
      one.doc.getText('content').insert(0, 'a');
      two.doc.getText('content').insert(0, 'b');
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.runAllTimersAsync();
    await Promise.all([one.persister.flush(), two.persister.flush()]);
    const afterFirst = (name: string): number[] => appends.get(name)?.slice(1) ?? [];
    expect(afterFirst('one').length).toBeGreaterThanOrEqual(4);
    expect(afterFirst('two')).toEqual(afterFirst('one'));
    one.persister.stop();
    two.persister.stop();
  });
});
