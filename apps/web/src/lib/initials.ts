import { lazyIntl } from './lazy-intl';

// Created on first need: the first Intl object in a page loads ICU's data (tens of ms), and
// an avatar's initials are drawn while the editor opens.
const graphemes = lazyIntl(() => new Intl.Segmenter(undefined, { granularity: 'grapheme' }));

function firstGrapheme(word: string): string {
  // An ASCII character followed by another (or nothing) is a grapheme of its own: no
  // combining mark, joiner or variation selector is ASCII.
  if (word.charCodeAt(0) < 0x80 && (word.length === 1 || word.charCodeAt(1) < 0x80)) {
    return word.charAt(0);
  }
  for (const { segment } of graphemes().segment(word)) return segment;
  return '';
}

/**
 * Up to two initials for an avatar ("Ada Lovelace" → "AL"), whole graphemes, so an emoji or
 * an accented letter stays intact; "?" for a name with no letters.
 */
export function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => firstGrapheme(word).toUpperCase());
  return letters.slice(0, 2).join('') || '?';
}
