import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType } from './message-type';
import {
  decodeStoredCountAck,
  encodeStoredCountAck,
  encodeStoredCountOptIn,
  isDocumentMessage,
  readStoredCountBody,
} from './stored-count';

/** A y-websocket sync frame as y-protocols/sync writes it: type 0, sub-type, payload. */
function syncFrame(subType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, subType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
/** y-protocols/sync's sub-types. */
const STEP_1 = 0;
const STEP_2 = 1;
const UPDATE = 2;

describe('counted saved acknowledgement frames', () => {
  it('opt-in is the single byte [101] and has no body', () => {
    expect(Array.from(encodeStoredCountOptIn())).toEqual([101]);
    const decoder = decoding.createDecoder(encodeStoredCountOptIn());
    expect(decoding.readVarUint(decoder)).toBe(MessageType.storedCount);
    expect(readStoredCountBody(decoder)).toBeNull();
  });

  it.each([0, 1, 127, 128, 300, 2 ** 31, Number.MAX_SAFE_INTEGER])('round-trips %d', (n) => {
    expect(decodeStoredCountAck(encodeStoredCountAck(n))).toBe(n);
  });

  it('refuses counts that are not whole numbers ≥ 0', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => encodeStoredCountAck(bad)).toThrow(RangeError);
    }
  });

  it('rejects other types, missing bodies, truncated counts and trailing bytes', () => {
    expect(() => decodeStoredCountAck(Uint8Array.of(100, 0))).toThrow(/expected a stored-count/);
    expect(() => decodeStoredCountAck(encodeStoredCountOptIn())).toThrow(/no count/);
    const frame = encodeStoredCountAck(300); // 300 needs two bytes
    expect(() => decodeStoredCountAck(frame.subarray(0, frame.length - 1))).toThrow();
    expect(() => decodeStoredCountAck(Uint8Array.of(...frame, 0))).toThrow(/trailing/);
  });
});

describe('isDocumentMessage', () => {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, 'hello');
  const update = Y.encodeStateAsUpdate(doc);

  it('counts SyncStep2 and updates, the two messages that carry content', () => {
    expect(isDocumentMessage(syncFrame(STEP_2, update))).toBe(true);
    expect(isDocumentMessage(syncFrame(UPDATE, update))).toBe(true);
  });

  it('does not count SyncStep1, awareness, acknowledgements or empty frames', () => {
    expect(isDocumentMessage(syncFrame(STEP_1, Y.encodeStateVector(doc)))).toBe(false);
    expect(isDocumentMessage(Uint8Array.of(MessageType.awareness, 0))).toBe(false);
    expect(isDocumentMessage(encodeStoredCountAck(2))).toBe(false);
    expect(isDocumentMessage(encodeStoredCountOptIn())).toBe(false);
    expect(isDocumentMessage(Uint8Array.of(MessageType.sync))).toBe(false);
    expect(isDocumentMessage(new Uint8Array())).toBe(false);
  });
});
