/**
 * Weft's counted saved acknowledgement (message type 101).
 *
 * A state vector (type 100) cannot say that a deletion is stored: deleting text does not
 * advance any clock. So this acknowledgement counts messages instead.
 *
 * - Client → relay: `[101]` opts the connection in.
 * - Relay → client: `[101][varUint: n]`, "the first n document messages you sent on this
 *   connection are durably stored".
 *
 * A document message is a y-websocket sync message of step 2 (SyncStep2) or of type update:
 * exactly the messages that carry document content. Both sides count them from the moment the
 * socket opens (the opt-in may come later), in the order they were sent, one count per
 * socket. "Stored" means: everything the message carried is in a durable write, including
 * content the relay already had but had not yet written. n never decreases on a connection; a
 * new connection starts again at 0. A message the relay refused to apply (a read-only
 * connection's edits) is never acknowledged unless it carried nothing the document lacked.
 *
 * @example
 *   relaySocket.send(encodeStoredCountOptIn());
 *   // … after sending 3 document messages:
 *   decodeStoredCountAck(frame); // 3: all three are stored
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType } from './message-type';

/** y-websocket's sync sub-types that carry document content (y-protocols/sync). */
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** The frame a client sends to opt in to counted acknowledgements. */
export function encodeStoredCountOptIn(): Uint8Array<ArrayBuffer> {
  // 101 < 128, so its varUint encoding is the single byte 101.
  return Uint8Array.of(MessageType.storedCount);
}

/** The relay's acknowledgement that the first `stored` document messages are durable. */
export function encodeStoredCountAck(stored: number): Uint8Array {
  if (!Number.isSafeInteger(stored) || stored < 0) {
    throw new RangeError(`stored count must be a whole number ≥ 0, got ${stored}`);
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.storedCount);
  encoding.writeVarUint(encoder, stored);
  return encoding.toUint8Array(encoder);
}

/**
 * Reads the body of a type-101 frame whose type has already been read from `decoder`.
 * Returns null for an opt-in (no body); throws on a truncated body or trailing bytes.
 */
export function readStoredCountBody(decoder: decoding.Decoder): number | null {
  if (!decoding.hasContent(decoder)) return null;
  const stored = decoding.readVarUint(decoder);
  if (decoding.hasContent(decoder)) throw new Error('stored-count frame has trailing bytes');
  return stored;
}

/** Decodes a whole acknowledgement frame. Throws when it is not a well-formed one. */
export function decodeStoredCountAck(frame: Uint8Array): number {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  if (type !== MessageType.storedCount) {
    throw new Error(
      `expected a stored-count frame (type ${MessageType.storedCount}), got type ${type}`,
    );
  }
  const stored = readStoredCountBody(decoder);
  if (stored === null) throw new Error('stored-count frame has no count');
  return stored;
}

/**
 * True when a y-websocket frame is a document message (counted by both sides). Reads only
 * the first two varUints; a frame too short to have them is not one.
 */
export function isDocumentMessage(frame: Uint8Array): boolean {
  // Message type 0 (sync) and the sync sub-type are both below 128: one byte each.
  return (
    frame.length >= 2 &&
    frame[0] === MessageType.sync &&
    (frame[1] === SYNC_STEP_2 || frame[1] === SYNC_UPDATE)
  );
}
