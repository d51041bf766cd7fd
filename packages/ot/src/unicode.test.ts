/** Code-point arithmetic agrees with JavaScript's own code-point iteration. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededTitle, testSeed } from './testing/seed';
import { advanceCodePoints, codePointLength, codePoints, isWellFormed } from './unicode';

// Includes lone surrogates on purpose: they must count as one code point each, like for…of.
const unitArb = fc.constantFrom('a', 'é', '€', '😀', '\uD83D', '\uDE00', 'z');
const stringArb = fc.array(unitArb, { maxLength: 30 }).map((units) => units.join(''));

/** Replay a failure with WEFT_SEED=<seed>. */
const seed = testSeed();

describe(seededTitle('unicode helpers', seed), () => {
  it('count and advance by code points', () => {
    fc.assert(
      fc.property(stringArb, fc.nat(35), (s, k) => {
        const points = codePoints(s);
        expect(codePointLength(s)).toBe(points.length);
        const end = advanceCodePoints(s, 0, k);
        if (k > points.length) expect(end).toBe(-1);
        else expect(end).toBe(points.slice(0, k).join('').length);
      }),
      { numRuns: 500, seed },
    );
  });

  it('recognises lone surrogates', () => {
    expect(isWellFormed('a😀b')).toBe(true);
    expect(isWellFormed('a\uD83D')).toBe(false);
    expect(isWellFormed('\uDE00a')).toBe(false);
  });
});
