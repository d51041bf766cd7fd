import { describe, expect, it } from 'vitest';
import { nextPreference, parsePreference, resolveTheme } from './theme';

describe('theme', () => {
  it('follows the system unless the user chose', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('cycles system → light → dark → system', () => {
    expect(nextPreference('system')).toBe('light');
    expect(nextPreference('light')).toBe('dark');
    expect(nextPreference('dark')).toBe('system');
  });

  it('treats anything unknown in storage as "system"', () => {
    expect(parsePreference(null)).toBe('system');
    expect(parsePreference('purple')).toBe('system');
    expect(parsePreference('dark')).toBe('dark');
  });
});
