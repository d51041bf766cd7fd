/**
 * Transform: rewrite `op` so it applies after `other`, where both were made on the same
 * document. Convergence (TP1): for ops a and b on one document,
 *   apply(apply(doc, a), transform(b, a, 'right')) === apply(apply(doc, b), transform(a, b, 'left'))
 */
import { OpBuilder } from './builder';
import { componentLength } from './component';
import { OpCursor } from './cursor';
import type { Component, Side, TextOp } from './types';
import { codePointLength } from './unicode';
import { checkOp, checkSide } from './validate';

/**
 * `op` rewritten to apply after `other`. When both insert at the same position, the op with
 * side `'left'` ends up first. Text that `other` deleted is not deleted again; text `op`
 * inserts inside a range `other` deleted survives, at the start of that range.
 */
export function transform(
  op: readonly Component[],
  other: readonly Component[],
  side: Side,
): TextOp {
  checkSide(side);
  checkOp(op);
  checkOp(other);
  const mine = new OpCursor(op);
  const out = new OpBuilder();
  for (const c of other) {
    if (typeof c === 'string') {
      // Our inserts at this very position go first only on the left; deletes never jump ahead.
      if (side === 'left' && mine.peek() === 'insert') out.insert(mine.takeInserts());
      out.retain(codePointLength(c));
      continue;
    }
    const retained = typeof c === 'number';
    let length = componentLength(c);
    while (length > 0) {
      if (mine.peek() === 'insert') {
        out.insert(mine.takeInserts());
        continue;
      }
      const piece = mine.take(length);
      length -= piece.length;
      // Over text `other` deleted, our retains and deletes have nothing left to act on.
      if (retained) out.pushPiece(piece);
    }
  }
  mine.drain((piece) => {
    out.pushPiece(piece);
  });
  return out.build();
}
