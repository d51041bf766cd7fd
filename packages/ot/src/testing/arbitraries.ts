/**
 * fast-check generators for documents and ops that fit them. Test-only (not exported).
 * The alphabet mixes ASCII, BMP non-ASCII and astral characters (surrogate pairs in UTF-16),
 * so code-point handling is exercised everywhere.
 */
import fc from 'fast-check';
import type { Component } from '../types';
import { codePoints } from '../unicode';

const CHARS = ['a', 'b', 'c', ' ', 'é', '€', '😀', '👻'];

export const charArb = fc.constantFrom(...CHARS);
export const textArb = (maxLength: number): fc.Arbitrary<string> =>
  fc.array(charArb, { minLength: 1, maxLength }).map((chars) => chars.join(''));
export const docArb = fc.array(charArb, { maxLength: 24 }).map((chars) => chars.join(''));

type Step =
  | { kind: 'retain'; n: number }
  | { kind: 'insert'; text: string }
  | { kind: 'delete'; n: number; withText: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('retain' as const), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('insert' as const), text: textArb(4) }),
  fc.record({
    kind: fc.constant('delete' as const),
    n: fc.integer({ min: 1, max: 6 }),
    withText: fc.boolean(),
  }),
);

/**
 * Ops that fit `doc`. Raw (not normalized): neighbours of one kind and trailing retains occur,
 * and deletes are a mix of counted and invertible ones.
 */
export function opArb(doc: string): fc.Arbitrary<Component[]> {
  const chars = codePoints(doc);
  return fc.array(stepArb, { maxLength: 8 }).map((steps) => {
    const op: Component[] = [];
    let at = 0;
    for (const step of steps) {
      if (step.kind === 'insert') {
        op.push(step.text);
        continue;
      }
      const n = Math.min(step.n, chars.length - at);
      if (n === 0) continue;
      if (step.kind === 'retain') op.push(n);
      else op.push({ d: step.withText ? chars.slice(at, at + n).join('') : n });
      at += n;
    }
    return op;
  });
}

/** A document and two ops made on it concurrently. */
export const concurrentArb = docArb.chain((doc) =>
  fc.record({ doc: fc.constant(doc), a: opArb(doc), b: opArb(doc) }),
);

/** A document, an op on it, and a cursor position within the document. */
export const docAndCursorArb = docArb.chain((doc) =>
  fc.record({
    doc: fc.constant(doc),
    op: opArb(doc),
    cursor: fc.integer({ min: 0, max: codePoints(doc).length }),
  }),
);
