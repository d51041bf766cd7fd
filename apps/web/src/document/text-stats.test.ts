import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  LineStatsCache,
  TextStatsStore,
  countCharacters,
  countWords,
  textStats,
} from './text-stats';

describe('countWords', () => {
  it('counts words, not punctuation or Markdown marks', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('# Hello, world!')).toBe(2);
    expect(countWords('- one\n- two\n\n**three** four-five')).toBe(5);
    expect(countWords("don't stop")).toBe(2);
  });
});

describe('countCharacters', () => {
  it('counts an astral character (emoji) once', () => {
    expect(countCharacters('abc')).toBe(3);
    expect(countCharacters('a😀b')).toBe(3);
    expect(countCharacters('\ud800')).toBe(1);
  });
});

describe('TextStatsStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('recounts once typing pauses, not per keystroke', () => {
    const doc = new Y.Doc();
    const text = doc.getText('content');
    text.insert(0, 'one');
    const store = new TextStatsStore(text, 300);
    expect(store.getSnapshot()).toEqual({ words: 1, characters: 3 });
    const listener = vi.fn();
    store.subscribe(listener);
    for (const char of ' two three') {
      text.insert(text.length, char);
      vi.advanceTimersByTime(100);
    }
    expect(listener).not.toHaveBeenCalled();
    vi.advanceTimersByTime(300);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toEqual({ words: 3, characters: 13 });
    store.destroy();
  });
});

describe('LineStatsCache', () => {
  it('counts exactly what textStats counts, across random edits', () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    // Randomised: print the seed so that a failure can be replayed.
    console.log(`LineStatsCache seed ${seed}`);
    let state = seed;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const pieces = ['word', ' ', '\n', '\n\n', 'é', '😀', "don't", '—', '# ', '3.14', '日本語'];
    const cache = new LineStatsCache();
    let text = '';
    for (let step = 0; step < 300; step++) {
      const at = random(text.length + 1);
      if (random(4) === 0 && text.length > 0) {
        text = text.slice(0, at) + text.slice(at + random(8));
      } else {
        text = text.slice(0, at) + (pieces[random(pieces.length)] ?? '') + text.slice(at);
      }
      // Never cut a surrogate pair in half: the editor does not either.
      text = text.replace(
        /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
        '',
      );
      expect(cache.count(text), `seed ${seed}, step ${step}`).toEqual(textStats(text));
    }
  });

  it('segments only the lines that changed', () => {
    const cache = new LineStatsCache();
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} has five words`);
    cache.count(lines.join('\n'));
    const segmenter = vi.spyOn(Intl.Segmenter.prototype, 'segment');
    lines[10] = 'line ten was edited here now';
    expect(cache.count(lines.join('\n')).words).toBe(49 * 5 + 6);
    expect(segmenter).toHaveBeenCalledTimes(1);
    segmenter.mockRestore();
  });
});
