/**
 * The acknowledgement policy (saved-acknowledger.ts): authors hear at once that their edits are
 * stored; members that wrote nothing hear the latest stored state when the passive interval
 * ends, once, however many writes happened meanwhile. The interval runs on fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { PASSIVE_ACK_INTERVAL_MS } from './room';
import { editFrom, RecordingMember, testRoom } from './room-test-support';
import { SavedAcknowledger } from './saved-acknowledger';

describe('saved acknowledgements to authors and to everyone else', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells the author at once, the others once when the passive interval ends', async () => {
    const room = testRoom('acks');
    const author = new RecordingMember(true);
    const reader = new RecordingMember(true);
    const plain = new RecordingMember(false);
    for (const m of [author, reader, plain]) room.members.add(m);

    Y.applyUpdate(room.doc, editFrom(7, 'hello'), author);
    await room.persister.flush();
    // The author's acknowledgement was sent when the write completed, before any timer.
    expect(author.acks()).toHaveLength(1);
    expect(author.acks()[0]?.get(7)).toBe(5);
    expect(reader.acks()).toHaveLength(0);

    // More writes by the same author before the reader is told: still one ack for the reader.
    Y.applyUpdate(room.doc, editFrom(8, 'world'), author);
    await room.persister.flush();
    expect(author.acks()).toHaveLength(2);
    vi.advanceTimersByTime(PASSIVE_ACK_INTERVAL_MS - 1);
    expect(reader.acks()).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(reader.acks()).toHaveLength(1);
    expect(reader.acks()[0]?.get(7)).toBe(5);
    expect(reader.acks()[0]?.get(8)).toBe(5);
    // The author already had the latest, and a member that did not opt in gets none.
    expect(author.acks()).toHaveLength(2);
    expect(plain.acks()).toHaveLength(0);

    // Nothing new stored: nobody is told again.
    vi.advanceTimersByTime(3 * PASSIVE_ACK_INTERVAL_MS);
    expect(reader.acks()).toHaveLength(1);
    room.destroy();
  });

  it('acknowledges a member that left and an update with no connection without failing', async () => {
    const room = testRoom('acks');
    const gone = new RecordingMember(true);
    const reader = new RecordingMember(true);
    room.members.add(gone);
    room.members.add(reader);
    Y.applyUpdate(room.doc, editFrom(1, 'from a member that leaves'), gone);
    room.members.delete(gone);
    Y.applyUpdate(room.doc, editFrom(2, 'from the relay itself'));
    await room.persister.flush();
    vi.advanceTimersByTime(PASSIVE_ACK_INTERVAL_MS);
    expect(gone.acks()).toHaveLength(0);
    expect(reader.acks().at(-1)?.get(2)).toBe(21);
    room.destroy();
  });

  it('sends a nearly due passive acknowledgement with a broadcast, and only then', () => {
    let now = 0;
    const author = new RecordingMember(true);
    const reader = new RecordingMember(true);
    const members = new Set([author, reader]);
    const acks = new SavedAcknowledger(members, 500, 100, () => now);
    const vector = Y.encodeStateVector(new Y.Doc());

    acks.saved(vector, new Set([author]));
    expect(author.acks()).toHaveLength(1);
    // Too early: a broadcast 399 ms in does not take it along.
    now = 399;
    acks.withBroadcast();
    expect(reader.acks()).toHaveLength(0);
    // Within the last 100 ms: it goes with the broadcast, and the timer does not send it again.
    now = 400;
    acks.withBroadcast();
    expect(reader.acks()).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(reader.acks()).toHaveLength(1);
    // With nothing new stored, a broadcast sends nothing.
    now = 2000;
    acks.withBroadcast();
    expect(reader.acks()).toHaveLength(1);

    // Without a broadcast the timer still sends it when the interval ends.
    acks.saved(vector, new Set());
    now = 2450;
    vi.advanceTimersByTime(500);
    expect(reader.acks()).toHaveLength(2);
    acks.destroy();
  });
});
