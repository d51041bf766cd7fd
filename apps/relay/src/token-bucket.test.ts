import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst up to capacity, then refills at the configured rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 1000;
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
  });

  it('never holds more than its capacity and refuses oversized takes without spending', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 100, () => now);
    now += 60_000;
    expect(bucket.take(101)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });
});
