import { describe, expect, it } from 'vitest';
import { readableTime } from './readable-time';

describe('readableTime', () => {
  const now = new Date(2026, 2, 4, 18, 30).getTime();
  it('says today and yesterday with the time', () => {
    expect(readableTime(new Date(2026, 2, 4, 14, 2).getTime(), now, 'en-GB')).toBe('today 14:02');
    expect(readableTime(new Date(2026, 2, 3, 9, 15).getTime(), now, 'en-GB')).toBe(
      'yesterday 09:15',
    );
  });
  it('gives a date for older versions, with the year only when it differs', () => {
    expect(readableTime(new Date(2026, 0, 5, 11, 40).getTime(), now, 'en-GB')).toMatch(
      /5 Jan 11:40$/,
    );
    expect(readableTime(new Date(2025, 0, 5, 11, 40).getTime(), now, 'en-GB')).toMatch(/2025/);
  });
});
