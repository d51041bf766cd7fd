/**
 * Whether a Yjs update would change a document: used for a read-only connection's messages,
 * which are never applied, so that one that carries nothing new can still be acknowledged as
 * stored (a reader's SyncStep2 on every connect), while one with real edits never is.
 */
import * as Y from 'yjs';

/** True when every struct and every deletion in `update` is already in `doc`. */
export function updateAddsNothing(update: Uint8Array, doc: Y.Doc): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  for (const struct of structs) {
    // A Skip is a gap in a diff, not content.
    if (struct instanceof Y.Skip) continue;
    const end = struct.id.clock + struct.length;
    if (Y.getState(doc.store, struct.id.client) < end) return false;
  }
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      if (!rangeDeleted(doc, client, range.clock, range.len)) return false;
    }
  }
  return true;
}

/** True when the doc has every struct of client in [clock, clock + len) and all are deleted. */
function rangeDeleted(doc: Y.Doc, client: number, clock: number, len: number): boolean {
  if (len === 0) return true;
  const structs = doc.store.clients.get(client);
  if (structs === undefined || Y.getState(doc.store, client) < clock + len) return false;
  let index = Y.findIndexSS(structs, clock);
  for (let at = clock; at < clock + len; index++) {
    const struct = structs[index];
    if (struct === undefined || !struct.deleted) return false;
    at = struct.id.clock + struct.length;
  }
  return true;
}
