/** The benchmark's small helpers. */
import { describe, expect, it } from 'vitest';
import { typingSession } from '../ot-vs-crdt/typing';
import { parseArgs } from './args';
import { quantile } from './measure';
import { barChart, short, svgDocument } from './svg';
import { formatTable } from './table';

describe('parseArgs', () => {
  const known = { flags: ['quick'], valued: ['out'] };

  it('reads flags and values in both spellings', () => {
    const parsed = parseArgs(['--quick', '--out', 'a', '--out=b'], known);
    expect(parsed.flags.has('quick')).toBe(true);
    expect(parsed.values.get('out')).toBe('b');
  });

  it('rejects unknown options and missing values', () => {
    expect(() => parseArgs(['--quik'], known)).toThrow(/Unknown option --quik/);
    expect(() => parseArgs(['--out'], known)).toThrow(/--out needs a value/);
    expect(() => parseArgs(['extra'], known)).toThrow(/Unexpected argument/);
  });
});

describe('reporting', () => {
  it('formats numbers and tables', () => {
    expect(short(1234)).toBe('1.2k');
    expect(short(2_500_000)).toBe('2.5M');
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(formatTable(['name', 'n'], [['a', 1000]])).toBe('name      n\n----  -----\na     1,000');
  });

  it('draws a well-formed SVG', () => {
    const panel = { x: 0, y: 0, width: 300, height: 200 };
    const chart = barChart(panel, {
      title: 'T <&>',
      yLabel: 'y',
      groups: ['g'],
      series: [{ name: 's', values: [10] }],
      log: true,
    });
    const svg = svgDocument(300, 200, 'doc', [chart]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('T &lt;&amp;&gt;');
    expect(svg.match(/<rect/g)?.length).toBeGreaterThan(2);
  });
});

describe('typingSession', () => {
  it('makes valid single-character edits, reproducibly', () => {
    const edits = typingSession(1, 10, 500);
    expect(typingSession(1, 10, 500)).toEqual(edits);
    let length = 10;
    for (const [position, deleted, inserted] of edits) {
      expect(position).toBeGreaterThanOrEqual(0);
      expect(position + deleted).toBeLessThanOrEqual(length);
      expect(deleted + inserted.length).toBe(1);
      length += inserted.length - deleted;
    }
  });
});
