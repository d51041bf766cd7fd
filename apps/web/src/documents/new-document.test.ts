import { docNameProblem } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import {
  SLUG_MAX_LENGTH,
  UNTITLED,
  newDocument,
  rememberNewTitle,
  slugify,
  takeNewTitle,
} from './new-document';

describe('slugify', () => {
  it('turns words into lower-case dashed ASCII', () => {
    expect(slugify('Meeting notes')).toBe('meeting-notes');
    expect(slugify('  Q3 plan: v2 (draft)!  ')).toBe('q3-plan-v2-draft');
  });

  it('folds accents and a few letters NFKD cannot', () => {
    expect(slugify('Café crème à Zürich')).toBe('cafe-creme-a-zurich');
    expect(slugify('Straße, Ærø')).toBe('strasse-aero');
  });

  it('drops what has no ASCII form: emoji, CJK, punctuation only', () => {
    expect(slugify('🎉 Party 🎉')).toBe('party');
    expect(slugify('会議メモ')).toBe('');
    expect(slugify('?!…—')).toBe('');
    expect(slugify('😀')).toBe('');
  });

  it('cuts a very long title at a word break, and one huge word at the limit', () => {
    const slug = slugify('word '.repeat(100));
    expect(slug.length).toBeLessThanOrEqual(SLUG_MAX_LENGTH);
    expect(slug.endsWith('word')).toBe(true);
    expect(slugify('x'.repeat(500))).toBe('x'.repeat(SLUG_MAX_LENGTH));
  });
});

describe('newDocument', () => {
  it('keeps the title as typed and derives a valid address with a random suffix', () => {
    const created = newDocument('Meeting notes');
    expect(created.title).toBe('Meeting notes');
    expect(created.name).toMatch(/^meeting-notes-[a-z2-9]{5}$/);
    expect(docNameProblem(created.name)).toBeNull();
  });

  it('never gives two documents of the same title one address', () => {
    const names = new Set(Array.from({ length: 200 }, () => newDocument('Meeting notes').name));
    expect(names.size).toBe(200);
  });

  it('gives titles without an ASCII word a valid address too', () => {
    for (const title of [
      '会議メモ',
      '😀😀',
      '!!!',
      '-',
      '.hidden',
      'a/b',
      '%2F',
      'x'.repeat(999),
    ]) {
      const created = newDocument(title);
      expect(docNameProblem(created.name), title).toBeNull();
      expect(created.title).toBe(title);
    }
  });

  it('calls an empty title Untitled, with a generated address', () => {
    for (const typed of ['', '   ', '\n\t']) {
      const created = newDocument(typed);
      expect(created.title).toBe(UNTITLED);
      expect(docNameProblem(created.name)).toBeNull();
    }
  });
});

describe('the pending title', () => {
  it('is taken once', () => {
    const values = new Map<string, string>();
    const storage = {
      getItem: (key: string) => values.get(key) ?? null,
      setItem: (key: string, value: string) => void values.set(key, value),
      removeItem: (key: string) => void values.delete(key),
    } as Storage;
    rememberNewTitle('meeting-notes-abcde', 'Meeting notes', storage);
    expect(takeNewTitle('other', storage)).toBeNull();
    expect(takeNewTitle('meeting-notes-abcde', storage)).toBe('Meeting notes');
    expect(takeNewTitle('meeting-notes-abcde', storage)).toBeNull();
  });
});
