/**
 * Accumulates components into a normalized op. Every op this package returns is built here,
 * so "normalized" has one definition: no empty components, no two neighbours of the same kind
 * (they are merged), and no trailing retain.
 *
 * Merging two deletes keeps the deleted text only when both carry text; otherwise the result is
 * a count, as in `ot-text-unicode`. Input objects are never mutated or shared.
 */
import { deleteLength, isDelete } from './component';
import type { Piece } from './cursor';
import type { Component, TextOp } from './types';

export class OpBuilder {
  private readonly out: Component[] = [];

  retain(n: number): void {
    if (n <= 0) return;
    const last = this.out.at(-1);
    if (typeof last === 'number') this.out[this.out.length - 1] = last + n;
    else this.out.push(n);
  }

  insert(text: string): void {
    if (text === '') return;
    const last = this.out.at(-1);
    if (typeof last === 'string') this.out[this.out.length - 1] = last + text;
    else this.out.push(text);
  }

  delete(d: number | string): void {
    if (d === 0 || d === '') return;
    const last = this.out.at(-1);
    if (!isDelete(last)) {
      this.out.push({ d });
      return;
    }
    const merged =
      typeof last.d === 'string' && typeof d === 'string'
        ? last.d + d
        : deleteLength(last.d) + deleteLength(d);
    this.out[this.out.length - 1] = { d: merged };
  }

  push(c: Component): void {
    if (typeof c === 'number') this.retain(c);
    else if (typeof c === 'string') this.insert(c);
    else this.delete(c.d);
  }

  pushPiece(piece: Piece): void {
    if (piece.kind === 'retain') this.retain(piece.length);
    else if (piece.kind === 'insert') this.insert(piece.text);
    else this.delete(piece.d);
  }

  /** The finished op. The builder must not be used afterwards. */
  build(): TextOp {
    if (typeof this.out.at(-1) === 'number') this.out.pop();
    return this.out;
  }
}
