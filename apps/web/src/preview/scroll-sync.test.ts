import { describe, expect, it } from 'vitest';
import { lineForTop, normaliseAnchors, topForLine } from './scroll-sync';

describe('[preview] scroll sync by source line', () => {
  const anchors = normaliseAnchors(
    [
      { line: 10, top: 400 },
      { line: 2, top: 100 },
      { line: 2, top: 120 }, // a paragraph inside a list item on the same line
      { line: 6, top: 90 }, // would move up: dropped
    ],
    { line: 20, top: 1000 },
  );

  it('sorts the anchors and drops those that would scroll backwards', () => {
    expect(anchors).toEqual([
      { line: 0, top: 0 },
      { line: 2, top: 100 },
      { line: 10, top: 400 },
      { line: 20, top: 1000 },
    ]);
  });

  it('maps lines to offsets, interpolating between blocks', () => {
    expect(topForLine(anchors, 2)).toBe(100);
    expect(topForLine(anchors, 6)).toBe(250);
    expect(topForLine(anchors, 15)).toBe(700);
    expect(topForLine(anchors, 99)).toBe(1000);
    expect(topForLine(anchors, -1)).toBe(0);
  });

  it('maps offsets back to the same lines', () => {
    for (const line of [0, 1, 2, 3.5, 6, 10, 17.25]) {
      expect(lineForTop(anchors, topForLine(anchors, line))).toBeCloseTo(line);
    }
  });
});
