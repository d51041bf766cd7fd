/**
 * Differential test against `ot-text-unicode`, the reference implementation of this op format:
 * on random documents and ops, apply, transform, compose, normalize and transformPosition give
 * identical results (same op arrays, not just the same effect). Ops are normalized first,
 * because the reference rejects non-canonical input such as a trailing retain.
 */
import fc from 'fast-check';
import { type as reference } from 'ot-text-unicode';
import { describe, expect, it } from 'vitest';
import { apply } from './apply';
import { compose } from './compose';
import { normalize } from './normalize';
import { transformPosition } from './position';
import { transform } from './transform';
import { concurrentArb, docAndCursorArb, docArb, opArb } from './testing/arbitraries';
import { seededTitle, testSeed } from './testing/seed';
import type { Component } from './types';

/** Replay a failure with WEFT_SEED=<seed>: every comparison below draws its cases from it. */
const seed = testSeed();
const RUNS = { numRuns: 400, seed };

/** The reference mutates delete components it is given; hand it a private copy. */
const copy = (op: readonly Component[]): Component[] => structuredClone([...op]);

describe(seededTitle('matches ot-text-unicode', seed), () => {
  it('apply', () => {
    fc.assert(
      fc.property(
        docArb.chain((doc) => fc.tuple(fc.constant(doc), opArb(doc))),
        ([doc, raw]) => {
          const op = normalize(raw);
          expect(apply(doc, op)).toBe(reference.apply(doc, copy(op)));
        },
      ),
      RUNS,
    );
  });

  it('normalize', () => {
    fc.assert(
      fc.property(docArb.chain(opArb), (raw) => {
        expect(normalize(raw)).toEqual(reference.normalize(copy(raw)));
      }),
      RUNS,
    );
  });

  it('transform, on both sides', () => {
    fc.assert(
      fc.property(
        concurrentArb,
        fc.constantFrom('left' as const, 'right' as const),
        (input, side) => {
          const a = normalize(input.a);
          const b = normalize(input.b);
          expect(transform(a, b, side)).toEqual(reference.transform(copy(a), copy(b), side));
        },
      ),
      RUNS,
    );
  });

  it('compose', () => {
    const sequential = docArb.chain((doc) =>
      opArb(doc).chain((a) => fc.tuple(fc.constant(a), opArb(apply(doc, a)))),
    );
    fc.assert(
      fc.property(sequential, ([rawA, rawB]) => {
        const a = normalize(rawA);
        const b = normalize(rawB);
        expect(compose(a, b)).toEqual(reference.compose(copy(a), copy(b)));
      }),
      RUNS,
    );
  });

  it('transformPosition', () => {
    fc.assert(
      fc.property(docAndCursorArb, ({ op, cursor }) => {
        const normalized = normalize(op);
        expect(transformPosition(cursor, normalized)).toBe(
          reference.transformPosition(cursor, copy(normalized)),
        );
      }),
      RUNS,
    );
  });
});
