/** Moving cursors and selections through an op, e.g. to keep a remote caret in place. */
import { deleteLength } from './component';
import { InvalidOpError } from './errors';
import type { Component, Selection } from './types';
import { codePointLength } from './unicode';
import { checkOp } from './validate';

const checkPosition = (position: unknown): number => {
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new InvalidOpError(
      `Invalid cursor position ${String(position)}: expected an integer >= 0`,
    );
  }
  return position;
};

/**
 * Where `cursor` (a position in the document before `op`) is after `op`. Text inserted exactly
 * at the cursor lands after it, as in `ot-text-unicode`; a cursor inside deleted text moves to
 * the start of the deletion. A cursor within the document stays within the new document.
 */
export function transformPosition(cursor: number, op: readonly Component[]): number {
  let moved = checkPosition(cursor);
  checkOp(op);
  let at = 0; // where the walk is, in new-document coordinates like `moved`
  for (const c of op) {
    if (moved <= at) break;
    if (typeof c === 'number') {
      at += c;
    } else if (typeof c === 'string') {
      const length = codePointLength(c);
      moved += length;
      at += length;
    } else {
      moved -= Math.min(deleteLength(c.d), moved - at);
    }
  }
  return moved;
}

/** Callers from plain JavaScript may pass anything; the type alone does not guarantee a pair. */
const isPair = (value: unknown): value is readonly [number, number] =>
  Array.isArray(value) && value.length === 2;

/** `transformPosition` applied to a cursor or to both ends of a selection. */
export function transformSelection(selection: Selection, op: readonly Component[]): Selection {
  if (typeof selection === 'number') return transformPosition(selection, op);
  if (!isPair(selection)) {
    throw new InvalidOpError('Invalid selection: expected a position or [anchor, focus]');
  }
  return [transformPosition(selection[0], op), transformPosition(selection[1], op)];
}
