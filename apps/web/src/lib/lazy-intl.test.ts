import { describe, expect, it } from 'vitest';
import { groupDigits, lazyIntl } from './lazy-intl';

describe('groupDigits', () => {
  it('groups a count as English toLocaleString does', () => {
    for (const count of [0, 7, 999, 1000, 12_345, 100_000, 1_234_567, 987_654_321_012]) {
      expect(groupDigits(count)).toBe(count.toLocaleString('en-US'));
    }
  });
});

describe('lazyIntl', () => {
  it('makes the object on first use, once', () => {
    let made = 0;
    const get = lazyIntl(() => ({ n: ++made }));
    expect(made).toBe(0);
    expect(get()).toBe(get());
    expect(made).toBe(1);
  });
});
