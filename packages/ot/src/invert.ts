/** Inverse ops, for undo: apply(apply(doc, op), invert(op)) === doc. */
import { apply } from './apply';
import { OpBuilder } from './builder';
import { deleteLength } from './component';
import { InvalidOpError } from './errors';
import type { Component, TextOp } from './types';
import { advanceCodePoints } from './unicode';
import { checkOp } from './validate';

/**
 * The op that undoes `op`. Needs the deleted text, so every delete must be `{ d: "text" }`;
 * a counted delete `{ d: n }` throws (use `makeInvertible` or `invertWithDoc` first).
 */
export function invert(op: readonly Component[]): TextOp {
  checkOp(op);
  const out = new OpBuilder();
  op.forEach((c, index) => {
    if (typeof c === 'number') out.retain(c);
    else if (typeof c === 'string') out.delete(c);
    else if (typeof c.d === 'string') out.insert(c.d);
    else {
      throw new InvalidOpError(
        `Cannot invert: component ${index} deletes ${c.d} characters without saying which ` +
          '(use makeInvertible or invertWithDoc with the document the op applies to)',
      );
    }
  });
  return out.build();
}

/**
 * `op` with every counted delete replaced by the text it deletes from `doc`. Throws
 * `InvalidOpError` if `op` does not fit `doc`.
 */
export function makeInvertible(op: readonly Component[], doc: string): TextOp {
  apply(doc, op); // validates the op against the document, with apply's error messages
  const out = new OpBuilder();
  let at = 0;
  for (const c of op) {
    if (typeof c === 'string') {
      out.insert(c);
      continue;
    }
    const end = advanceCodePoints(doc, at, typeof c === 'number' ? c : deleteLength(c.d));
    if (typeof c === 'number') out.retain(c);
    else out.delete(doc.slice(at, end));
    at = end;
  }
  return out.build();
}

/** The inverse of `op`, which must fit `doc` (the document before `op`). */
export function invertWithDoc(op: readonly Component[], doc: string): TextOp {
  return invert(makeInvertible(op, doc));
}
