/**
 * Word and character counts of the document, recomputed at most once per pause in typing.
 * Counting reads the whole text, so doing it per keystroke would make typing in a long
 * document slower for no visible gain.
 */
import type * as Y from 'yjs';
import { ValueStore } from '../lib/value-store';

export interface TextStats {
  readonly words: number;
  /** Characters, counted as code points (see `countCharacters`). */
  readonly characters: number;
}

const segmenter =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl
    ? new Intl.Segmenter(undefined, { granularity: 'word' })
    : null;

/** Counts words the way word processors do: runs of letters or digits, in any script. */
export function countWords(text: string): number {
  if (segmenter) {
    let words = 0;
    for (const segment of segmenter.segment(text)) if (segment.isWordLike) words++;
    return words;
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

/** The stats of a Y.Text as an external store, refreshed `delayMs` after the last change. */
export class TextStatsStore extends ValueStore<TextStats> {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly text: Y.Text,
    private readonly delayMs = 400,
  ) {
    super(textStats(text.toString()));
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
      const next = textStats(this.text.toString());
      const prev = this.getSnapshot();
      if (next.words !== prev.words || next.characters !== prev.characters) this.set(next);
    }, this.delayMs);
  };
}
