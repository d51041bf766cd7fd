/**
 * Scroll sync between the source and the preview, by source line. The preview's blocks carry
 * their first source line (`data-line`); between two blocks, positions are interpolated, so
 * a long paragraph scrolls smoothly instead of jumping from block to block.
 */

/** A block of the preview: its first source line and its top in the preview's scroll space. */
export interface LineAnchor {
  readonly line: number;
  readonly top: number;
}

/**
 * Sorted anchors that only move down as lines increase (a nested block on the same line as
 * its parent adds nothing), bracketed by the top (line 0) and `end` (after the last line).
 */
export function normaliseAnchors(
  anchors: readonly LineAnchor[],
  end: LineAnchor,
): readonly LineAnchor[] {
  const sorted = [...anchors].sort((a, b) => a.line - b.line || a.top - b.top);
  const result: LineAnchor[] = [{ line: 0, top: 0 }];
  for (const anchor of [...sorted, end]) {
    const last = result[result.length - 1] ?? { line: 0, top: 0 };
    if (anchor.line < last.line || anchor.top < last.top) continue;
    if (anchor.line === last.line) continue;
    result.push(anchor);
  }
  return result;
}

/** The preview offset for a (fractional) source line. */
export function topForLine(anchors: readonly LineAnchor[], line: number): number {
  return interpolate(anchors, line, 'line', 'top');
}

/** The (fractional) source line at a preview offset. */
export function lineForTop(anchors: readonly LineAnchor[], top: number): number {
  return interpolate(anchors, top, 'top', 'line');
}

function interpolate(
  anchors: readonly LineAnchor[],
  value: number,
  from: keyof LineAnchor,
  to: keyof LineAnchor,
): number {
  const first = anchors[0];
  if (first === undefined) return 0;
  if (value <= first[from]) return first[to];
  for (let i = 1; i < anchors.length; i++) {
    const before = anchors[i - 1] ?? first;
    const after = anchors[i] ?? first;
    if (value < after[from]) {
      const span = after[from] - before[from];
      const t = span === 0 ? 0 : (value - before[from]) / span;
      return before[to] + t * (after[to] - before[to]);
    }
  }
  return (anchors[anchors.length - 1] ?? first)[to];
}
