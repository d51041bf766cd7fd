import { describe, expect, it } from 'vitest';
import { backoffCeiling, fullJitterDelay, type BackoffPolicy } from './backoff.js';

const policy: BackoffPolicy = { baseMs: 500, maxMs: 15_000 };

describe('backoff', () => {
  it('doubles the ceiling per failed attempt and caps it', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 50].map((n) => backoffCeiling(n, policy));
    expect(ceilings).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  });

  it('never overflows, even after a huge number of attempts', () => {
    expect(backoffCeiling(5000, policy)).toBe(15_000);
    expect(backoffCeiling(Number.POSITIVE_INFINITY, policy)).toBe(500);
    expect(backoffCeiling(-1, policy)).toBe(500);
  });

  it('full jitter: the delay is the random fraction of the ceiling', () => {
    expect(fullJitterDelay(0, policy, () => 0)).toBe(0);
    expect(fullJitterDelay(0, policy, () => 0.5)).toBe(250);
    expect(fullJitterDelay(3, policy, () => 0.25)).toBe(1000);
    expect(fullJitterDelay(10, policy, () => 0.999_999)).toBe(14_999);
  });

  it('spreads many clients over the whole window instead of retrying in lock-step', () => {
    let seed = 42;
    // A small deterministic LCG, so the spread is reproducible.
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const delays = Array.from({ length: 1000 }, () => fullJitterDelay(3, policy, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(4000);
    const buckets = [0, 0, 0, 0];
    for (const delay of delays) {
      const bucket = Math.floor(delay / 1000);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    for (const count of buckets) expect(count).toBeGreaterThan(180);
  });

  it('clamps a broken random source into [0, ceiling]', () => {
    expect(fullJitterDelay(0, policy, () => Number.NaN)).toBe(0);
    expect(fullJitterDelay(0, policy, () => -3)).toBe(0);
    expect(fullJitterDelay(0, policy, () => 7)).toBe(500);
  });
});
