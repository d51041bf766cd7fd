/**
 * Compose: one op with the effect of `a` followed by `b`, so that for any document `a` fits,
 *   apply(doc, compose(a, b)) === apply(apply(doc, a), b).
 * Used by the client to merge edits made while waiting for the server.
 */
import { OpBuilder } from './builder';
import { deleteLength } from './component';
import { OpCursor } from './cursor';
import type { Component, TextOp } from './types';
import { CodePointSlicer } from './unicode';
import { checkOp } from './validate';

export function compose(a: readonly Component[], b: readonly Component[]): TextOp {
  checkOp(a);
  checkOp(b);
  const first = new OpCursor(a);
  const out = new OpBuilder();
  for (const c of b) {
    if (typeof c === 'string') {
      out.insert(c);
      continue;
    }
    let length = typeof c === 'number' ? c : deleteLength(c.d);
    const deleted =
      typeof c === 'object' && typeof c.d === 'string' ? new CodePointSlicer(c.d) : null;
    while (length > 0) {
      // Text `a` deleted is not in `b`'s document: `b` cannot touch it, so it passes through.
      if (first.peek() === 'delete') {
        out.pushPiece(first.takeWhole());
        continue;
      }
      const piece = first.take(length);
      length -= piece.length;
      if (typeof c === 'number') {
        out.pushPiece(piece);
        continue;
      }
      const text = deleted ? deleted.next(piece.length) : piece.length;
      // `b` deleting text that `a` inserted cancels both; deleting original text stays a delete.
      if (piece.kind === 'retain') out.delete(text);
    }
  }
  first.drain((piece) => {
    out.pushPiece(piece);
  });
  return out.build();
}
