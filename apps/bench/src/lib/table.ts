/** Plain-text tables for the terminal: numbers right-aligned, everything else left-aligned. */
export type Cell = string | number;

/** Formats a number for humans: thousands separators, at most `digits` decimals. */
export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? fmt(cell) : cell)));
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)),
  );
  const numeric = headers.map((_, i) => rows.every((row) => typeof row[i] === 'number'));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return numeric[i] ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}
