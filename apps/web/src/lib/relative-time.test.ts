import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time';

const now = Date.UTC(2025, 5, 15, 12);
const minute = 60_000;

describe('relativeTime', () => {
  it('says "just now" for the last 45 seconds', () => {
    expect(relativeTime(now - 10_000, now, 'en')).toBe('just now');
    expect(relativeTime(now + 5000, now, 'en')).toBe('just now');
  });

  it('uses the largest unit that fits', () => {
    expect(relativeTime(now - 50_000, now, 'en')).toBe('1 minute ago');
    expect(relativeTime(now - 5 * minute, now, 'en')).toBe('5 minutes ago');
    expect(relativeTime(now - 3 * 60 * minute, now, 'en')).toBe('3 hours ago');
    expect(relativeTime(now - 24 * 60 * minute, now, 'en')).toBe('yesterday');
    expect(relativeTime(now - 14 * 24 * 60 * minute, now, 'en')).toBe('2 weeks ago');
    expect(relativeTime(now - 400 * 24 * 60 * minute, now, 'en')).toBe('last year');
  });
});
