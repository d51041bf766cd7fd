/**
 * The wire formats of the three servers, for the benchmark's own clients.
 *
 * - `y-websocket`: the y-websocket protocol, one document per socket at `/<room>`; every frame
 *   is `[varUint type][…]`, type 0 = sync (`[0 step1 | 1 step2 | 2 update][varUint8Array]`).
 * - `weft`: the same, plus the saved-acknowledgement opt-in `[100]` sent on open; the relay
 *   then sends `[100][state vector]` after every durable write.
 * - `hocuspocus`: Hocuspocus multiplexes documents on one socket, so every frame starts with
 *   `[varString documentName]`; a client authenticates first (`[name][2 auth][0 token][""]`),
 *   and sync replies come as type 4 (SyncReply) as well as 0.
 */
import * as encoding from 'lib0/encoding';

export type Dialect = 'weft' | 'y-websocket' | 'hocuspocus';

export type FrameKind = 'step1' | 'step2' | 'update' | 'saved' | 'other';

export interface ParsedFrame {
  readonly kind: FrameKind;
  /** For step1/step2/update/saved: the body (a state vector or an update). */
  readonly body: Uint8Array | null;
}

const SYNC = 0;
const AUTH = 2;
const SYNC_REPLY = 4;
const SAVED = 100;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;

export const socketPath = (dialect: Dialect, room: string): string =>
  dialect === 'hocuspocus' ? '/' : `/${room}`;

function frame(dialect: Dialect, room: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  if (dialect === 'hocuspocus') encoding.writeVarString(encoder, room);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const syncFrame = (dialect: Dialect, room: string, step: number, body: Uint8Array): Uint8Array =>
  frame(dialect, room, (e) => {
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, body);
  });

/** Frames a client sends as soon as its socket opens: opt-in/auth, then its SyncStep1. */
export function openingFrames(
  dialect: Dialect,
  room: string,
  stateVector: Uint8Array,
): Uint8Array[] {
  const step1 = syncFrame(dialect, room, STEP1, stateVector);
  switch (dialect) {
    case 'weft':
      return [Uint8Array.of(SAVED), step1];
    case 'y-websocket':
      return [step1];
    case 'hocuspocus':
      return [
        frame(dialect, room, (e) => {
          encoding.writeVarUint(e, AUTH);
          encoding.writeVarUint(e, 0);
          encoding.writeVarString(e, '');
        }),
        step1,
      ];
  }
}

export const step2Frame = (dialect: Dialect, room: string, update: Uint8Array): Uint8Array =>
  syncFrame(dialect, room, STEP2, update);

export const updateFrame = (dialect: Dialect, room: string, update: Uint8Array): Uint8Array =>
  syncFrame(dialect, room, UPDATE, update);

/** Reads a varUint at `pos`; returns [value, next position]. */
function varUint(bytes: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let mult = 1;
  for (;;) {
    const byte = bytes[pos++];
    if (byte === undefined) throw new RangeError('truncated varUint');
    value += (byte & 0x7f) * mult;
    if (byte < 0x80) return [value, pos];
    mult *= 128;
  }
}

function body(bytes: Uint8Array, pos: number): Uint8Array {
  const [length, start] = varUint(bytes, pos);
  return bytes.subarray(start, start + length);
}

const OTHER: ParsedFrame = { kind: 'other', body: null };

/** Classifies a frame from the server without copying it. */
export function parseFrame(dialect: Dialect, bytes: Uint8Array): ParsedFrame {
  let pos = 0;
  if (dialect === 'hocuspocus') {
    const [nameLength, afterLength] = varUint(bytes, 0);
    pos = afterLength + nameLength;
  }
  const [type, afterType] = varUint(bytes, pos);
  if (type === SAVED && dialect === 'weft') return { kind: 'saved', body: body(bytes, afterType) };
  if (type !== SYNC && !(type === SYNC_REPLY && dialect === 'hocuspocus')) return OTHER;
  const [step, afterStep] = varUint(bytes, afterType);
  const kind =
    step === STEP1 ? 'step1' : step === STEP2 ? 'step2' : step === UPDATE ? 'update' : null;
  return kind === null ? OTHER : { kind, body: body(bytes, afterStep) };
}
