import { describe, expect, it } from 'vitest';
import {
  BusMessageError,
  decodeDocMessage,
  decodePresenceMessage,
  decodeRelayBeat,
  decodeTrashNotice,
  encodeDocMessage,
  encodePresenceMessage,
  encodeRelayBeat,
  encodeTrashNotice,
} from './bus-messages';
import { SeqTracker } from './seq-tracker';

describe('bus messages', () => {
  it('round-trip a document message, presence messages and heartbeats', () => {
    const doc = { relay: 'r1', first: 4, last: 9, update: new Uint8Array([1, 2, 3]), sentAt: 1.5 };
    expect(decodeDocMessage(encodeDocMessage(doc))).toEqual(doc);
    const update = { kind: 'update', relay: 'r2', update: new Uint8Array([7]) } as const;
    expect(decodePresenceMessage(encodePresenceMessage(update))).toEqual(update);
    const query = { kind: 'query', relay: 'r3' } as const;
    expect(decodePresenceMessage(encodePresenceMessage(query))).toEqual(query);
    for (const leaving of [true, false]) {
      expect(decodeRelayBeat(encodeRelayBeat({ relay: 'r4', leaving }))).toEqual({
        relay: 'r4',
        leaving,
      });
    }
  });

  it('round-trip trash notices, and refuse an unknown change', () => {
    for (const change of ['trashed', 'restored', 'deleted'] as const) {
      const notice = { relay: 'r5', name: 'a/b ü', change };
      expect(decodeTrashNotice(encodeTrashNotice(notice))).toEqual(notice);
    }
    const bytes = encodeTrashNotice({ relay: 'r', name: 'n', change: 'deleted' });
    expect(() => decodeTrashNotice(new Uint8Array([...bytes.slice(0, -1), 9]))).toThrow(
      BusMessageError,
    );
    expect(() => decodeTrashNotice(bytes.slice(0, -1))).toThrow(BusMessageError);
  });

  it('refuse truncated, padded, foreign-version and inverted messages', () => {
    const bytes = encodeDocMessage({
      relay: 'r',
      first: 1,
      last: 2,
      update: new Uint8Array(4),
      sentAt: 0,
    });
    expect(() => decodeDocMessage(bytes.slice(0, -1))).toThrow(BusMessageError);
    expect(() => decodeDocMessage(new Uint8Array([...bytes, 0]))).toThrow(BusMessageError);
    expect(() => decodeDocMessage(new Uint8Array([2, ...bytes.slice(1)]))).toThrow(BusMessageError);
    const inverted = encodeDocMessage({
      relay: 'r',
      first: 5,
      last: 2,
      update: new Uint8Array(),
      sentAt: 0,
    });
    expect(() => decodeDocMessage(inverted)).toThrow(BusMessageError);
    expect(() => decodePresenceMessage(new Uint8Array([1, 9, 0]))).toThrow(BusMessageError);
    expect(() => decodeRelayBeat(new Uint8Array())).toThrow(BusMessageError);
  });
});

describe('SeqTracker', () => {
  it('advances over contiguous ranges and holds ranges that arrive ahead', () => {
    const seqs = new SeqTracker(4);
    expect(seqs.note(5, 6)).toBe(true);
    expect(seqs.applied).toBe(6);
    expect(seqs.note(9, 10)).toBe(true);
    expect(seqs.gap).toEqual({ after: 6, before: 9 });
    expect(seqs.note(9, 10)).toBe(false); // a duplicate
    expect(seqs.note(7, 8)).toBe(true);
    expect(seqs.applied).toBe(10);
    expect(seqs.gap).toBeNull();
    expect(seqs.note(3, 10)).toBe(false);
  });

  it('closes a gap with a repair and keeps what lies beyond it', () => {
    const seqs = new SeqTracker(-1);
    seqs.note(3, 3);
    seqs.note(8, 9);
    seqs.repaired(5);
    expect(seqs.applied).toBe(5);
    expect(seqs.gap).toEqual({ after: 5, before: 8 });
    seqs.repaired(9);
    expect(seqs.gap).toBeNull();
    expect(seqs.applied).toBe(9);
  });
});
