/**
 * Weft's saved acknowledgement (message type 100).
 *
 * - Client → relay: `[100]` opts the connection in.
 * - Relay → client: `[100][varUint8Array: Yjs state vector]`, the state vector of what the
 *   relay has durably stored for the document. Sent once right after the opt-in and again
 *   whenever the stored state advances.
 *
 * A client has saved everything when the acknowledged vector covers its local one.
 *
 * @example
 *   const frame = encodeSavedAck(Y.encodeStateVector(storedDoc));
 *   const vector = decodeSavedAck(frame); // Map<clientId, clock>
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from './message-type';
import { decodeStateVector } from './state-vector';

/** The frame a client sends to opt in to saved acknowledgements. */
export function encodeSavedOptIn(): Uint8Array<ArrayBuffer> {
  // 100 < 128, so its varUint encoding is the single byte 100.
  return Uint8Array.of(MessageType.saved);
}

/** The relay's acknowledgement frame for an encoded Yjs state vector. */
export function encodeSavedAck(encodedStateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.saved);
  encoding.writeVarUint8Array(encoder, encodedStateVector);
  return encoding.toUint8Array(encoder);
}

/**
 * Reads the body of a saved frame whose type has already been read from `decoder`.
 * Returns null for an opt-in (a frame with no body); throws on a truncated or corrupt body.
 */
export function readSavedBody(decoder: decoding.Decoder): Map<number, number> | null {
  if (!decoding.hasContent(decoder)) return null;
  return decodeStateVector(decoding.readVarUint8Array(decoder));
}

/** Decodes a whole saved frame. Throws when the frame is not a well-formed acknowledgement. */
export function decodeSavedAck(frame: Uint8Array): Map<number, number> {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  if (type !== MessageType.saved) {
    throw new Error(`expected a saved frame (type ${MessageType.saved}), got type ${type}`);
  }
  const vector = readSavedBody(decoder);
  if (vector === null) throw new Error('saved frame has no state vector');
  return vector;
}
