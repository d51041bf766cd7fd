/**
 * When checkpoints are taken, on a real Room with fake timers: at most one per interval while
 * the text changes, none when it did not, one when the last user leaves, and never before
 * the edits they cover are stored.
 */
import { MemoryDocStore, type DocStore } from '@weft/storage';
import { FaultyStore } from '@weft/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { Principal } from '../auth';
import { silentLogger } from '../logger';
import { RelayMetrics } from '../metrics';
import { Room } from '../room';
import { RecordingMember } from '../room-test-support';

const INTERVAL = 60_000;

function roomOn(store: DocStore, name = 'doc'): Room {
  return new Room(name, null, {
    store,
    options: { compactUpdates: 1000, compactBytes: 1 << 22, checkpointIntervalMs: INTERVAL },
    log: silentLogger(),
    metrics: new RelayMetrics({ processMetrics: false }),
  });
}

/** Types `text` at the end of the room's document, as a member with `principal` would. */
function type(room: Room, text: string, origin: unknown = null): void {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc));
  const content = client.getText('content');
  content.insert(content.length, text);
  Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(client, Y.encodeStateVector(room.doc)), origin);
}

class Writer extends RecordingMember {
  constructor(readonly principal: Principal) {
    super();
  }
}

const ada: Principal = {
  userId: 'ada',
  name: 'Ada',
  docPattern: '*',
  role: 'write',
  expiresAt: Number.POSITIVE_INFINITY,
};

describe('checkpoint timing', () => {
  let room: Room | null = null;
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1, 9, 0, 0) });
  });
  afterEach(() => {
    room?.destroy();
    room = null;
    vi.useRealTimers();
  });

  it('takes at most one checkpoint per interval while the text changes', async () => {
    const store = new MemoryDocStore();
    room = roomOn(store);
    type(room, 'a');
    await vi.advanceTimersByTimeAsync(INTERVAL - 1000);
    expect(await store.listCheckpoints('doc')).toEqual([]);
    // Typing on through the interval: one checkpoint when it ends, not one per edit.
    for (let i = 0; i < 10; i++) {
      type(room, 'b');
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(await store.listCheckpoints('doc')).toHaveLength(1);
    for (let i = 0; i < 20; i++) {
      type(room, 'c');
      await vi.advanceTimersByTimeAsync(INTERVAL / 10);
    }
    const times = (await store.listCheckpoints('doc')).map((c) => c.createdAt).reverse();
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(INTERVAL);
    }
    expect((await store.listCheckpoints('doc'))[0]).toMatchObject({ reason: 'interval' });
  });

  it('takes none while nothing is edited, and none for edits that leave the text as it was', async () => {
    const store = new MemoryDocStore();
    room = roomOn(store);
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    expect(await store.listCheckpoints('doc')).toEqual([]);
    type(room, 'x');
    const text = room.doc.getText('content');
    text.delete(0, 1); // back to the text of the last checkpoint (the empty load)
    await vi.advanceTimersByTimeAsync(2 * INTERVAL);
    expect(await store.listCheckpoints('doc')).toEqual([]);
  });

  it('takes one when the last user leaves, if the text changed, with who edited', async () => {
    const store = new MemoryDocStore();
    room = roomOn(store);
    type(room, 'hello', new Writer(ada));
    room.checkpointer.lastUserLeft();
    await room.checkpointer.settled();
    const [left] = await store.listCheckpoints('doc');
    expect(left).toMatchObject({ reason: 'idle', chars: 5, authors: [{ id: 'ada', name: 'Ada' }] });
    room.checkpointer.lastUserLeft();
    await room.checkpointer.settled();
    expect(await store.listCheckpoints('doc')).toHaveLength(1);
    // The interval timer the edit armed finds nothing new either.
    await vi.advanceTimersByTimeAsync(2 * INTERVAL);
    expect(await store.listCheckpoints('doc')).toHaveLength(1);
  });

  it('stores a checkpoint only once the edits it covers are durable', async () => {
    const store = new FaultyStore(new MemoryDocStore());
    room = roomOn(store);
    store.hold();
    type(room, 'pending');
    let stored = false;
    void room.checkpointer.checkpoint('named', { name: 'v1' }).then(() => {
      stored = true;
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(stored).toBe(false);
    expect(await store.listCheckpoints('doc')).toEqual([]);
    store.release();
    await vi.advanceTimersByTimeAsync(10);
    expect(stored).toBe(true);
    expect(await store.listCheckpoints('doc')).toMatchObject([{ name: 'v1', chars: 7 }]);
  });

  it('tries again an interval later when storage fails, not at once', async () => {
    const inner = new MemoryDocStore();
    let failing = true;
    let attempts = 0;
    const store = Object.assign(Object.create(inner) as MemoryDocStore, {
      addCheckpointUnless: (...args: Parameters<MemoryDocStore['addCheckpointUnless']>) => {
        attempts++;
        return failing
          ? Promise.reject(new Error('disk full'))
          : inner.addCheckpointUnless(...args);
      },
    });
    room = roomOn(store);
    type(room, 'a', new RecordingMember());
    await vi.advanceTimersByTimeAsync(INTERVAL + 10);
    expect(attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(INTERVAL / 2);
    expect(attempts).toBe(1);
    failing = false;
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(attempts).toBe(2);
    expect(await inner.listCheckpoints('doc')).toHaveLength(1);
  });
});

/**
 * Cluster mode: two relays hold one document, each a Room with its own timers, on one store.
 * What one relay's member types reaches the other's copy (`mirror`), as the bus carries it.
 */
describe('checkpoints of a document two relays hold', () => {
  const rooms: Room[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1, 9, 0, 0) });
  });
  afterEach(() => {
    for (const room of rooms.splice(0)) room.destroy();
    vi.useRealTimers();
  });
  const twoRelays = (store: DocStore): [Room, Room] => {
    const pair: [Room, Room] = [roomOn(store), roomOn(store)];
    rooms.push(...pair);
    return pair;
  };
  const mirror = (from: Room, to: Room): void => {
    Y.applyUpdate(to.doc, Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc)));
  };

  it('stores one interval checkpoint between them, not one each', async () => {
    const store = new MemoryDocStore();
    const [a, b] = twoRelays(store);
    type(a, 'hello', new Writer(ada));
    mirror(a, b);
    await vi.advanceTimersByTimeAsync(INTERVAL + 10);
    await Promise.all([a.checkpointer.settled(), b.checkpointer.settled()]);
    expect(await store.listCheckpoints('doc')).toMatchObject([
      { reason: 'interval', chars: 5, authors: [{ id: 'ada' }] },
    ]);
  });

  it('keeps about one checkpoint per interval while someone types on, whoever takes it', async () => {
    const store = new MemoryDocStore();
    const a = roomOn(store);
    rooms.push(a);
    let b: Room | null = null;
    for (let second = 0; second < 6 * 60; second++) {
      type(a, 'x');
      // B opens the document 10 s after A, so its timer fires 10 s later, on newer text.
      if (second === 10) rooms.push((b = roomOn(store)));
      if (b) mirror(a, b);
      await vi.advanceTimersByTimeAsync(1000);
    }
    const times = (await store.listCheckpoints('doc')).map((info) => info.createdAt).reverse();
    expect(times.length).toBeGreaterThanOrEqual(5);
    expect(times.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(INTERVAL / 2);
    }
  });

  it('stores one idle checkpoint when the last users leave both relays', async () => {
    const store = new MemoryDocStore();
    const [a, b] = twoRelays(store);
    type(a, 'draft');
    mirror(a, b);
    a.checkpointer.lastUserLeft();
    await a.checkpointer.settled();
    await vi.advanceTimersByTimeAsync(5000);
    b.checkpointer.lastUserLeft();
    await b.checkpointer.settled();
    expect(await store.listCheckpoints('doc')).toMatchObject([{ reason: 'idle', chars: 5 }]);
    // Named versions are asked for, so they are stored whatever the newest holds.
    await b.checkpointer.checkpoint('named', { name: 'v1' });
    expect(await store.listCheckpoints('doc')).toHaveLength(2);
  });
});
