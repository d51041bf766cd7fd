/** The algebraic laws of the text type, checked with fast-check on random documents and ops. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply } from './apply';
import { compose } from './compose';
import { invert, invertWithDoc, makeInvertible } from './invert';
import { normalize } from './normalize';
import { transformPosition, transformSelection } from './position';
import { transform } from './transform';
import { concurrentArb, docAndCursorArb, docArb, opArb } from './testing/arbitraries';
import { seededTitle, testSeed } from './testing/seed';
import { codePointLength } from './unicode';

/** Replay a failure with WEFT_SEED=<seed>: every property below draws its cases from it. */
const seed = testSeed();
const RUNS = { numRuns: 400, seed };

/** A document, an op `a` on it, and an op `b` on the document after `a`. */
const sequentialArb = docArb.chain((doc) =>
  opArb(doc).chain((a) =>
    fc.record({ doc: fc.constant(doc), a: fc.constant(a), b: opArb(apply(doc, a)) }),
  ),
);

const isInvertible = (op: readonly unknown[]): boolean =>
  op.every((c) => typeof c !== 'object' || typeof (c as { d: unknown }).d === 'string');

describe(seededTitle('transform', seed), () => {
  it('converges (TP1) with the left/right tie-break', () => {
    fc.assert(
      fc.property(concurrentArb, ({ doc, a, b }) => {
        // a wins ties
        const viaA = apply(apply(doc, a), transform(b, a, 'right'));
        const viaB = apply(apply(doc, b), transform(a, b, 'left'));
        expect(viaA).toBe(viaB);
        // b wins ties
        expect(apply(apply(doc, a), transform(b, a, 'left'))).toBe(
          apply(apply(doc, b), transform(a, b, 'right')),
        );
      }),
      RUNS,
    );
  });

  it('puts the left insert first when both insert at the same position', () => {
    const doc = 'ab';
    const a = [1, 'X'];
    const b = [1, 'Y'];
    expect(apply(apply(doc, b), transform(a, b, 'left'))).toBe('aXYb');
    expect(apply(apply(doc, b), transform(a, b, 'right'))).toBe('aYXb');
  });

  it('returns normalized ops and keeps invertible ops invertible', () => {
    fc.assert(
      fc.property(
        concurrentArb,
        fc.constantFrom('left' as const, 'right' as const),
        (input, side) => {
          const a = makeInvertible(input.a, input.doc);
          const b = makeInvertible(input.b, input.doc);
          const result = transform(a, b, side);
          expect(normalize(result)).toEqual(result);
          expect(isInvertible(result)).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

describe(seededTitle('compose', seed), () => {
  it('equals applying the two ops one after the other', () => {
    fc.assert(
      fc.property(sequentialArb, ({ doc, a, b }) => {
        expect(apply(doc, compose(a, b))).toBe(apply(apply(doc, a), b));
      }),
      RUNS,
    );
  });

  it('keeps invertible ops invertible, and its inverse undoes both', () => {
    fc.assert(
      fc.property(sequentialArb, ({ doc, a, b }) => {
        const ia = makeInvertible(a, doc);
        const ib = makeInvertible(b, apply(doc, a));
        const both = compose(ia, ib);
        expect(isInvertible(both)).toBe(true);
        expect(apply(apply(doc, both), invert(both))).toBe(doc);
      }),
      RUNS,
    );
  });
});

describe(seededTitle('invert', seed), () => {
  it('undoes an op that carries its deleted text', () => {
    fc.assert(
      fc.property(
        docArb.chain((doc) => fc.tuple(fc.constant(doc), opArb(doc))),
        ([doc, op]) => {
          const invertible = makeInvertible(op, doc);
          expect(apply(apply(doc, invertible), invert(invertible))).toBe(doc);
          expect(apply(apply(doc, op), invertWithDoc(op, doc))).toBe(doc);
        },
      ),
      RUNS,
    );
  });
});

describe(seededTitle('normalize', seed), () => {
  it('is idempotent and does not change what the op does', () => {
    fc.assert(
      fc.property(
        docArb.chain((doc) => fc.tuple(fc.constant(doc), opArb(doc))),
        ([doc, op]) => {
          const once = normalize(op);
          expect(normalize(once)).toEqual(once);
          expect(apply(doc, once)).toBe(apply(doc, op));
          expect(typeof once.at(-1)).not.toBe('number');
        },
      ),
      RUNS,
    );
  });
});

describe(seededTitle('transformPosition', seed), () => {
  it('keeps a position within the document inside the new document', () => {
    fc.assert(
      fc.property(docAndCursorArb, ({ doc, op, cursor }) => {
        const moved = transformPosition(cursor, op);
        expect(moved).toBeGreaterThanOrEqual(0);
        expect(moved).toBeLessThanOrEqual(codePointLength(apply(doc, op)));
      }),
      RUNS,
    );
  });

  it('keeps the character after the cursor after it, unless that character was deleted', () => {
    // 'abc', cursor before 'c'; the op inserts at the start and deletes 'a'.
    expect(transformPosition(2, ['XY', { d: 1 }])).toBe(3);
    expect(apply('abc', ['XY', { d: 1 }]).slice(3)).toBe('c');
    // Inserting at the cursor leaves the cursor before the insert, as ot-text-unicode does.
    expect(transformPosition(1, [1, 'Z'])).toBe(1);
    // Inside a deletion: the cursor moves to where the deletion was.
    expect(transformPosition(3, [1, { d: 4 }])).toBe(1);
    expect(transformSelection([0, 3], [1, { d: 4 }])).toEqual([0, 1]);
  });
});
