/**
 * Word and character counts of the document, recomputed at most once per pause in typing.
 * Counting reads the whole text, so doing it per keystroke would make typing in a long
 * document slower for no visible gain. A recount segments only the lines that changed since
 * the last one (`LineStatsCache`): segmenting all of a 100 KB document into words took 30–40
 * ms in one task, in every page watching someone type, delaying whatever keystroke arrived
 * meanwhile.
 */
import type * as Y from 'yjs';
import { lazyIntl } from '../lib/lazy-intl';
import { ValueStore } from '../lib/value-store';

export interface TextStats {
  readonly words: number;
  /** Characters, counted as code points (see `countCharacters`). */
  readonly characters: number;
}

// Made on first need (see lazy-intl.ts): a document opens with its count of nothing, and is
// counted once the text is in, after the editor shows it.
const segmenter = lazyIntl(() =>
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'word' })
    : null,
);

/** Counts words the way word processors do: runs of letters or digits, in any script. */
export function countWords(text: string): number {
  if (text === '') return 0;
  const words = segmenter();
  if (words) {
    let count = 0;
    for (const segment of words.segment(text)) if (segment.isWordLike) count++;
    return count;
  }
  return text.match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/**
 * Counts code points (a surrogate pair counts once), so most emoji and every letter outside
 * the Basic Multilingual Plane count as one character, without allocating per character.
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    count++;
  }
  return count;
}

export function textStats(text: string): TextStats {
  return { words: countWords(text), characters: countCharacters(text) };
}

/**
 * Counts a text line by line, remembering each line's counts until the next count, so that
 * a count after an edit segments only the lines it changed. A line break never falls inside
 * a word or a surrogate pair, so the sums are exactly `textStats` of the whole text.
 */
export class LineStatsCache {
  private lines = new Map<string, TextStats>();

  count(text: string): TextStats {
    const seen = new Map<string, TextStats>();
    const lines = text.split('\n');
    let words = 0;
    // The line breaks are characters too.
    let characters = lines.length - 1;
    for (const line of lines) {
      let stats = seen.get(line) ?? this.lines.get(line);
      if (stats === undefined) stats = textStats(line);
      seen.set(line, stats);
      words += stats.words;
      characters += stats.characters;
    }
    this.lines = seen;
    return { words, characters };
  }
}

/** The stats of a Y.Text as an external store, refreshed `delayMs` after the last change. */
export class TextStatsStore extends ValueStore<TextStats> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly cache: LineStatsCache;

  constructor(
    private readonly text: Y.Text,
    private readonly delayMs = 400,
  ) {
    const cache = new LineStatsCache();
    super(cache.count(text.toString()));
    this.cache = cache;
    text.observe(this.schedule);
  }

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.text.unobserve(this.schedule);
    this.clear();
  }

  private readonly schedule = (): void => {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const next = this.cache.count(this.text.toString());
      const prev = this.getSnapshot();
      if (next.words !== prev.words || next.characters !== prev.characters) this.set(next);
    }, this.delayMs);
  };
}
