/**
 * Filters a client's awareness update down to the entries it may write: its own presence,
 * never anyone else's. An awareness update is `varUint count` then, per entry,
 * `varUint clientID, varUint clock, varString stateJSON` (`"null"` removes the state).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  readonly state: string;
}

export interface FilteredAwareness {
  /** The update with only the allowed entries, or null when none is allowed. */
  readonly update: Uint8Array | null;
  readonly rejected: number;
}

/** Throws when the update does not decode completely. */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    entries.push({ clientId, clock, state });
  }
  if (decoding.hasContent(decoder)) throw new Error('awareness update has trailing bytes');
  return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Keeps the entries `mayWrite` allows whose state is at most `maxStateBytes` of JSON that
 * parses, counted in UTF-8 bytes as it travels (a string's length counts UTF-16 units, which
 * lets '€' through at a third of its size). Returns the original bytes untouched when
 * everything is allowed.
 */
export function filterAwarenessUpdate(
  update: Uint8Array,
  mayWrite: (clientId: number) => boolean,
  maxStateBytes: number,
): FilteredAwareness {
  const entries = decodeAwarenessEntries(update);
  const allowed = entries.filter(
    (entry) =>
      mayWrite(entry.clientId) &&
      Buffer.byteLength(entry.state, 'utf8') <= maxStateBytes &&
      parses(entry.state),
  );
  const rejected = entries.length - allowed.length;
  if (allowed.length === 0) return { update: null, rejected };
  return { update: rejected === 0 ? update : encodeAwarenessEntries(allowed), rejected };
}

function parses(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}
