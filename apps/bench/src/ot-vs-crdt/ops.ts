/** Trace patches as text ops and as Yjs edits. */
import { compose, type TextOp } from '@weft/ot';
import * as Y from 'yjs';
import type { Patch } from '../lib/traces';

/**
 * A Y.Doc with a fixed client id. Yjs picks a random 32-bit id, which most often takes 5 bytes
 * as a varint; a fixed id of that size keeps byte counts both realistic and reproducible, and
 * gives agents a fixed order for tie-breaks.
 */
export function newYDoc(agent = 0): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = 0x7a3c0000 + agent;
  return doc;
}

/** One patch (delete then insert at a position) as an op. */
export function patchOp([position, deleteCount, inserted]: Patch): TextOp {
  const op: TextOp = [];
  if (position > 0) op.push(position);
  if (deleteCount > 0) op.push({ d: deleteCount });
  if (inserted !== '') op.push(inserted);
  return op;
}

/** A transaction's patches (applied one after another) as a single op. */
export function txnOp(patches: readonly Patch[]): TextOp {
  const [first, ...rest] = patches;
  if (!first) return [];
  return rest.reduce<TextOp>((op, patch) => compose(op, patchOp(patch)), patchOp(first));
}

/**
 * Applies patches to a Y.Text. Y.Text counts UTF-16 units, trace positions count code points;
 * callers only use this on traces without astral characters, where the two agree.
 */
export function applyPatchesToYText(text: Y.Text, patches: readonly Patch[]): void {
  for (const [position, deleteCount, inserted] of patches) {
    if (deleteCount > 0) text.delete(position, deleteCount);
    if (inserted !== '') text.insert(position, inserted);
  }
}

/** Plain JavaScript string splicing (UTF-16 positions; see applyPatchesToYText). */
export function splice(doc: string, patches: readonly Patch[]): string {
  let out = doc;
  for (const [position, deleteCount, inserted] of patches) {
    out = out.slice(0, position) + inserted + out.slice(position + deleteCount);
  }
  return out;
}
