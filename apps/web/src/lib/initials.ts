const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function firstGrapheme(word: string): string {
  for (const { segment } of graphemes.segment(word)) return segment;
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
