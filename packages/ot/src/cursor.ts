/**
 * Reads an op piece by piece, splitting components where the op it is being combined with
 * needs them split. Past its last component an op retains forever, so `take` never runs dry.
 * Used by transform and compose, which walk two ops side by side.
 */
import { componentLength } from './component';
import type { Component } from './types';
import { advanceCodePoints } from './unicode';

/** A part of one component, with its length in code points. */
export type Piece =
  | { readonly kind: 'retain'; readonly length: number }
  | { readonly kind: 'insert'; readonly length: number; readonly text: string }
  | { readonly kind: 'delete'; readonly length: number; readonly d: number | string };

export type PieceKind = Piece['kind'];

export class OpCursor {
  private index = 0;
  /** Code points of the current component not yet taken. */
  private remaining = 0;
  /** UTF-16 offset into the current component's text (inserts and text deletes). */
  private unitOffset = 0;

  constructor(private readonly op: readonly Component[]) {
    this.enter();
  }

  /** Kind of the next piece; `null` once only the implicit trailing retain is left. */
  peek(): PieceKind | null {
    const c = this.op[this.index];
    if (c === undefined) return null;
    return typeof c === 'number' ? 'retain' : typeof c === 'string' ? 'insert' : 'delete';
  }

  /** Up to `max` code points of the current component (exactly `max` of implicit retain). */
  take(max: number): Piece {
    const c = this.op[this.index];
    if (c === undefined) return { kind: 'retain', length: max };
    const length = Math.min(max, this.remaining);
    if (typeof c === 'number') {
      this.consume(length);
      return { kind: 'retain', length };
    }
    if (typeof c === 'string') {
      const text = this.sliceText(c, length);
      this.consume(length);
      return { kind: 'insert', length, text };
    }
    const d = typeof c.d === 'number' ? length : this.sliceText(c.d, length);
    this.consume(length);
    return { kind: 'delete', length, d };
  }

  /** The whole rest of the current component, whatever its kind. */
  takeWhole(): Piece {
    return this.take(this.remaining);
  }

  /** Every insert at the current position, concatenated: inserts are never split by transform. */
  takeInserts(): string {
    let text = '';
    while (this.peek() === 'insert') {
      const piece = this.takeWhole();
      if (piece.kind === 'insert') text += piece.text;
    }
    return text;
  }

  /** Hands every remaining component to `sink`, the current one from where it was split. */
  drain(sink: (piece: Piece) => void): void {
    while (this.peek() !== null) sink(this.takeWhole());
  }

  private sliceText(text: string, length: number): string {
    if (length === this.remaining) return text.slice(this.unitOffset);
    const end = advanceCodePoints(text, this.unitOffset, length);
    const part = text.slice(this.unitOffset, end);
    this.unitOffset = end;
    return part;
  }

  private consume(length: number): void {
    this.remaining -= length;
    if (this.remaining === 0) {
      this.index++;
      this.enter();
    }
  }

  private enter(): void {
    const c = this.op[this.index];
    this.remaining = c === undefined ? 0 : componentLength(c);
    this.unitOffset = 0;
  }
}
