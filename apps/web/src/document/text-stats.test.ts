import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { TextStatsStore, countCharacters, countWords } from './text-stats';

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
