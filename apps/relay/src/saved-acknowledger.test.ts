/**
 * The acknowledgement policy (saved-acknowledger.ts): authors hear at once that their edits are
 * stored; members that wrote nothing hear the latest stored state within the passive interval,
 * once, however many writes happened meanwhile.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PASSIVE_ACK_INTERVAL_MS } from './room';
import { editFrom, RecordingMember, testRoom } from './room-test-support';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('saved acknowledgements to authors and to everyone else', () => {
  it('tells the author at once, the others once within the passive interval', async () => {
    const room = testRoom('acks');
    const author = new RecordingMember(true);
    const reader = new RecordingMember(true);
    const plain = new RecordingMember(false);
    for (const m of [author, reader, plain]) room.members.add(m);

    const applied = performance.now();
    Y.applyUpdate(room.doc, editFrom(7, 'hello'), author);
    await room.persister.flush();
    // The author's acknowledgement was sent when the write completed, before any timer.
    expect(author.acks()).toHaveLength(1);
    expect(author.acks()[0]?.vector.get(7)).toBe(5);
    expect(reader.acks()).toHaveLength(0);

    // More writes by the same author before the reader is told: still one ack for the reader.
    Y.applyUpdate(room.doc, editFrom(8, 'world'), author);
    await room.persister.flush();
    expect(author.acks()).toHaveLength(2);
    await sleep(PASSIVE_ACK_INTERVAL_MS + 50);
    const readerAcks = reader.acks();
    expect(readerAcks).toHaveLength(1);
    expect(readerAcks[0]?.vector.get(7)).toBe(5);
    expect(readerAcks[0]?.vector.get(8)).toBe(5);
    // Timers fire up to a millisecond early.
    expect((readerAcks[0]?.at ?? 0) - applied).toBeGreaterThanOrEqual(PASSIVE_ACK_INTERVAL_MS - 2);
    // The author already had the latest, and a member that did not opt in gets none.
    expect(author.acks()).toHaveLength(2);
    expect(plain.acks()).toHaveLength(0);

    // Nothing new stored: nobody is told again.
    await sleep(PASSIVE_ACK_INTERVAL_MS + 50);
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
    await sleep(PASSIVE_ACK_INTERVAL_MS + 50);
    expect(gone.acks()).toHaveLength(0);
    expect(reader.acks().at(-1)?.vector.get(2)).toBe(21);
    room.destroy();
  });
});
