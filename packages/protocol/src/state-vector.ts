/**
 * Yjs state vectors as plain maps (client id → next expected clock), with the comparison
 * the saved status needs. Decoding is strict: a truncated or trailing-garbage vector throws,
 * because an acknowledgement we misread could tell a user unsaved work is safe.
 */
import * as decoding from 'lib0/decoding';

export type StateVector = ReadonlyMap<number, number>;

/** Decodes Yjs's state vector encoding (varUint count, then varUint client/clock pairs). */
export function decodeStateVector(encoded: Uint8Array): Map<number, number> {
  const decoder = decoding.createDecoder(encoded);
  const count = decoding.readVarUint(decoder);
  const vector = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    vector.set(client, clock);
  }
  if (decoding.hasContent(decoder)) throw new Error('state vector has trailing bytes');
  return vector;
}

/** True when `acknowledged` has every operation `local` has: for each client, ack ≥ local. */
export function covers(acknowledged: StateVector, local: StateVector): boolean {
  for (const [client, clock] of local) {
    if ((acknowledged.get(client) ?? 0) < clock) return false;
  }
  return true;
}

/** How many operations of `local` are not covered by `acknowledged` (for "N edits not saved"). */
export function uncoveredCount(acknowledged: StateVector, local: StateVector): number {
  let missing = 0;
  for (const [client, clock] of local) {
    missing += Math.max(0, clock - (acknowledged.get(client) ?? 0));
  }
  return missing;
}
