/**
 * Code-point arithmetic on JavaScript (UTF-16) strings. Positions in ops count code points;
 * strings are indexed by UTF-16 units. Most text has no surrogates at all, and V8 answers a
 * surrogate search on such strings almost for free, so every function here takes a native
 * fast path first and only walks units by hand around actual surrogate pairs.
 *
 * A lone surrogate counts as one code point, as `for…of` iteration does.
 */

const ANY_SURROGATE = /[\uD800-\uDFFF]/;

const isHigh = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** Number of code points in `s`. */
export function codePointLength(s: string): number {
  if (!ANY_SURROGATE.test(s)) return s.length;
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) i++;
    length++;
  }
  return length;
}

/**
 * The UTF-16 index reached by moving `count` code points forward from unit index `from`,
 * or -1 when `s` ends first. `from` must not point at the low half of a pair.
 */
export function advanceCodePoints(s: string, from: number, count: number): number {
  let at = from;
  let remaining = count;
  while (remaining > 0) {
    // Every code point takes at least one unit, so this window is the shortest possible
    // answer; searching only inside it keeps the cost proportional to `count`, not to `s`.
    const end = at + remaining;
    if (end > s.length) return -1;
    const surrogate = s.slice(at, end).search(ANY_SURROGATE);
    if (surrogate < 0) return end;
    at += surrogate;
    remaining -= surrogate;
    at += isHigh(s.charCodeAt(at)) && isLow(s.charCodeAt(at + 1)) ? 2 : 1;
    remaining--;
  }
  return at <= s.length ? at : -1;
}

/** `s` split into code points: the unit op positions count (not grapheme clusters). */
export const codePoints = (s: string): string[] => Array.from(s);

/** True when `s` has no lone surrogates (it can be encoded as UTF-8 without loss). */
export function isWellFormed(s: string): boolean {
  if (!ANY_SURROGATE.test(s)) return true;
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (isHigh(unit) && isLow(s.charCodeAt(i + 1))) i++;
    else if (isHigh(unit) || isLow(unit)) return false;
  }
  return true;
}

/** Hands out consecutive code-point slices of one string without rescanning from its start. */
export class CodePointSlicer {
  private at = 0;

  constructor(private readonly text: string) {}

  /** The next `count` code points (fewer only if the string ends). */
  next(count: number): string {
    const start = this.at;
    const end = advanceCodePoints(this.text, start, count);
    this.at = end < 0 ? this.text.length : end;
    return this.text.slice(start, this.at);
  }

  /** Everything not yet handed out. */
  rest(): string {
    const start = this.at;
    this.at = this.text.length;
    return this.text.slice(start);
  }
}
