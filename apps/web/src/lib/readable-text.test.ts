import { USER_COLORS } from '@weft/client';
import { describe, expect, it } from 'vitest';
import { contrastRatio, readableTextOn } from './readable-text';

describe('readableTextOn', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21);
    expect(contrastRatio('#30a46c', '#ffffff')).toBeCloseTo(3.15, 1);
  });

  it('[a11y] text on every palette colour has a contrast of at least 4.5:1', () => {
    for (const color of USER_COLORS) {
      expect(contrastRatio(readableTextOn(color), color), color).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps white where white reads best, and tolerates a malformed colour', () => {
    expect(readableTextOn('#6e56cf')).toBe('#ffffff');
    expect(readableTextOn('#30a46c')).toBe('#000000');
    expect(readableTextOn('red')).toBe('#ffffff');
  });
});
