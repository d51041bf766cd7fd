import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seedIsReplayed, seededTitle, testSeed } from './seed';

describe('test seeds', () => {
  it('reads WEFT_SEED first, OT_SEED as its older alias, and refuses non-integers', () => {
    expect(testSeed({ WEFT_SEED: '123', OT_SEED: '7' })).toBe(123);
    expect(testSeed({ OT_SEED: '7' })).toBe(7);
    expect(testSeed({ WEFT_SEED: '', OT_SEED: '7' })).toBe(7);
    expect(() => testSeed({ WEFT_SEED: '1.5' })).toThrow(/WEFT_SEED must be an integer/);
    expect(() => testSeed({ OT_SEED: 'abc' })).toThrow(/OT_SEED must be an integer/);
    expect(seedIsReplayed({ WEFT_SEED: '1' })).toBe(true);
    expect(seedIsReplayed({})).toBe(false);
  });

  it('draws a fresh seed when none is given', () => {
    const seeds = new Set(Array.from({ length: 20 }, () => testSeed({})));
    expect(seeds.size).toBeGreaterThan(1);
    for (const seed of seeds) expect(Number.isSafeInteger(seed)).toBe(true);
  });

  it('makes fast-check replay exactly: the same seed, the same cases', () => {
    const cases = (seed: number) => fc.sample(fc.string(), { seed, numRuns: 20 });
    expect(cases(42)).toEqual(cases(42));
    expect(cases(42)).not.toEqual(cases(43));
  });

  it('names the seed and how to replay it', () => {
    expect(seededTitle('transform', 9)).toBe('transform (seed 9; replay with WEFT_SEED=9)');
  });
});
