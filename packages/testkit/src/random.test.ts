import { describe, expect, it } from 'vitest';
import { Random, seedFromEnv } from './random';

describe('Random', () => {
  it('replays the same sequence for the same seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const sequence = Array.from({ length: 20 }, () => a.int(0, 1000));
    expect(Array.from({ length: 20 }, () => b.int(0, 1000))).toEqual(sequence);
    expect(new Random(43).int(0, 1000)).not.toBe(new Random(42).int(0, 1000));
  });

  it('stays within bounds', () => {
    const random = new Random(7);
    for (let i = 0; i < 1000; i++) {
      const value = random.int(-3, 3);
      expect(value).toBeGreaterThanOrEqual(-3);
      expect(value).toBeLessThanOrEqual(3);
    }
  });

  it('reads WEFT_SEED and refuses a malformed one', () => {
    expect(seedFromEnv({ WEFT_SEED: '123' })).toBe(123);
    expect(() => seedFromEnv({ WEFT_SEED: 'abc' })).toThrow(/WEFT_SEED/);
  });
});
