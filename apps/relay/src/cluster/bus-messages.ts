/**
 * What relays say to each other through Redis, and its encoding (lib0, like the y-websocket
 * protocol). Every encoder has its decoder, and a decoder given bytes it cannot read throws
 * BusMessageError rather than returning half a message.
 *
 * - `DocMessage` on `weft:doc:<name>`: updates this relay has *committed* to PostgreSQL under
 *   the sequence numbers `first..last` (one append batch, merged). Published after COMMIT, so
 *   nothing travels on the bus that PostgreSQL does not hold.
 * - `PresenceMessage` on `weft:presence:<name>`: an awareness update for the client ids this
 *   relay's connections own, or a query asking every relay to send its users' whole presence.
 * - `RelayBeat` on `weft:relays`: "this relay is alive", or "leaving" at a graceful shutdown.
 * - `TrashNotice` on `weft:trash`: a document was moved to the trash, restored, or deleted
 *   for good; published after PostgreSQL committed it (cluster-store.ts).
 *
 *   const bytes = encodeDocMessage({ relay, first: 4, last: 6, update, sentAt: Date.now() });
 *   decodeDocMessage(bytes).last === 6
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Bumped if the layout ever changes, so a relay refuses what it cannot read. */
const VERSION = 1;

export class BusMessageError extends Error {
  constructor(what: string, cause?: unknown) {
    super(`malformed ${what} on the bus`, { cause });
    this.name = 'BusMessageError';
  }
}

export interface DocMessage {
  /** The publishing relay's id (relays ignore their own messages). */
  readonly relay: string;
  /** Sequence numbers of the first and last update the message carries. */
  readonly first: number;
  readonly last: number;
  /** Those updates, merged into one Yjs update. */
  readonly update: Uint8Array;
  /** Milliseconds since the epoch when it was published (for the bus-lag metric). */
  readonly sentAt: number;
}

export type PresenceMessage =
  | { readonly kind: 'update'; readonly relay: string; readonly update: Uint8Array }
  | { readonly kind: 'query'; readonly relay: string };

export interface RelayBeat {
  readonly relay: string;
  readonly leaving: boolean;
}

export const docChannel = (name: string): string => `weft:doc:${name}`;
export const presenceChannel = (name: string): string => `weft:presence:${name}`;
export const RELAYS_CHANNEL = 'weft:relays';
export const TRASH_CHANNEL = 'weft:trash';

export type TrashChange = 'trashed' | 'restored' | 'deleted';

export interface TrashNotice {
  readonly relay: string;
  readonly name: string;
  readonly change: TrashChange;
}

const TRASH_CHANGES: readonly TrashChange[] = ['trashed', 'restored', 'deleted'];

export function encodeTrashNotice(notice: TrashNotice): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, VERSION);
  encoding.writeVarString(encoder, notice.relay);
  encoding.writeVarString(encoder, notice.name);
  encoding.writeVarUint(encoder, TRASH_CHANGES.indexOf(notice.change));
  return encoding.toUint8Array(encoder);
}

export function decodeTrashNotice(bytes: Uint8Array): TrashNotice {
  return decodeWith('trash notice', bytes, (decoder) => {
    const relay = decoding.readVarString(decoder);
    const name = decoding.readVarString(decoder);
    const change = TRASH_CHANGES[decoding.readVarUint(decoder)];
    if (change === undefined) throw new Error('unknown trash change');
    return { relay, name, change };
  });
}

export function encodeDocMessage(message: DocMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, VERSION);
  encoding.writeVarString(encoder, message.relay);
  encoding.writeVarUint(encoder, message.first);
  encoding.writeVarUint(encoder, message.last);
  encoding.writeFloat64(encoder, message.sentAt);
  encoding.writeVarUint8Array(encoder, message.update);
  return encoding.toUint8Array(encoder);
}

export function decodeDocMessage(bytes: Uint8Array): DocMessage {
  return decodeWith('document message', bytes, (decoder) => {
    const relay = decoding.readVarString(decoder);
    const first = decoding.readVarUint(decoder);
    const last = decoding.readVarUint(decoder);
    const sentAt = decoding.readFloat64(decoder);
    const update = decoding.readVarUint8Array(decoder);
    if (last < first) throw new Error('last before first');
    return { relay, first, last, sentAt, update };
  });
}

const PRESENCE_UPDATE = 0;
const PRESENCE_QUERY = 1;

export function encodePresenceMessage(message: PresenceMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, VERSION);
  encoding.writeVarUint(encoder, message.kind === 'update' ? PRESENCE_UPDATE : PRESENCE_QUERY);
  encoding.writeVarString(encoder, message.relay);
  if (message.kind === 'update') encoding.writeVarUint8Array(encoder, message.update);
  return encoding.toUint8Array(encoder);
}

export function decodePresenceMessage(bytes: Uint8Array): PresenceMessage {
  return decodeWith('presence message', bytes, (decoder) => {
    const kind = decoding.readVarUint(decoder);
    const relay = decoding.readVarString(decoder);
    if (kind === PRESENCE_QUERY) return { kind: 'query', relay };
    if (kind !== PRESENCE_UPDATE) throw new Error(`unknown presence kind ${kind}`);
    return { kind: 'update', relay, update: decoding.readVarUint8Array(decoder) };
  });
}

export function encodeRelayBeat(beat: RelayBeat): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, VERSION);
  encoding.writeVarString(encoder, beat.relay);
  encoding.writeUint8(encoder, beat.leaving ? 1 : 0);
  return encoding.toUint8Array(encoder);
}

export function decodeRelayBeat(bytes: Uint8Array): RelayBeat {
  return decodeWith('relay heartbeat', bytes, (decoder) => ({
    relay: decoding.readVarString(decoder),
    leaving: decoding.readUint8(decoder) === 1,
  }));
}

function decodeWith<T>(what: string, bytes: Uint8Array, read: (d: decoding.Decoder) => T): T {
  try {
    const decoder = decoding.createDecoder(bytes);
    const version = decoding.readVarUint(decoder);
    if (version !== VERSION) throw new Error(`version ${version}`);
    const message = read(decoder);
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
    return message;
  } catch (error) {
    throw new BusMessageError(what, error);
  }
}
