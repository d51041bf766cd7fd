import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MessageType } from './message-type';
import { decodeSavedAck, encodeSavedAck, encodeSavedOptIn, readSavedBody } from './saved';
import { covers, decodeStateVector, uncoveredCount } from './state-vector';

function docWithEdits(clientID: number, text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.getText('content').insert(0, text);
  return doc;
}

describe('saved acknowledgement frames', () => {
  it('opt-in is the single byte [100]', () => {
    expect(Array.from(encodeSavedOptIn())).toEqual([MessageType.saved]);
    const decoder = decoding.createDecoder(encodeSavedOptIn());
    expect(decoding.readVarUint(decoder)).toBe(MessageType.saved);
    expect(readSavedBody(decoder)).toBeNull();
  });

  it('round-trips a real Yjs state vector', () => {
    const doc = docWithEdits(7, 'hello');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(docWithEdits(123456789, 'other')));
    const vector = decodeSavedAck(encodeSavedAck(Y.encodeStateVector(doc)));
    expect(vector).toEqual(Y.decodeStateVector(Y.encodeStateVector(doc)));
    expect(vector.get(7)).toBe(5);
  });

  it('round-trips the empty state vector', () => {
    expect(decodeSavedAck(encodeSavedAck(Y.encodeStateVector(new Y.Doc()))).size).toBe(0);
  });

  it('rejects frames of another type, missing bodies and truncated vectors', () => {
    expect(() => decodeSavedAck(new Uint8Array([0, 0]))).toThrow(/expected a saved frame/);
    expect(() => decodeSavedAck(encodeSavedOptIn())).toThrow(/no state vector/);
    const frame = encodeSavedAck(Y.encodeStateVector(docWithEdits(300, 'abc')));
    expect(() => decodeSavedAck(frame.subarray(0, frame.length - 1))).toThrow();
  });

  it('rejects a state vector with trailing bytes', () => {
    const encoded = Y.encodeStateVector(docWithEdits(1, 'x'));
    const padded = new Uint8Array([...encoded, 0]);
    expect(() => decodeStateVector(padded)).toThrow(/trailing/);
  });
});

describe('covers', () => {
  it('is true exactly when every local clock is acknowledged', () => {
    const local = new Map([
      [1, 5],
      [2, 3],
    ]);
    expect(covers(new Map([[1, 5]]), local)).toBe(false);
    expect(
      covers(
        new Map([
          [1, 5],
          [2, 3],
        ]),
        local,
      ),
    ).toBe(true);
    expect(
      covers(
        new Map([
          [1, 9],
          [2, 3],
          [3, 1],
        ]),
        local,
      ),
    ).toBe(true);
    expect(covers(new Map(), new Map())).toBe(true);
  });

  it('counts the operations not yet acknowledged', () => {
    const local = new Map([
      [1, 5],
      [2, 3],
    ]);
    expect(uncoveredCount(new Map([[1, 2]]), local)).toBe(6);
    expect(uncoveredCount(local, local)).toBe(0);
  });
});
