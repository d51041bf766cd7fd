import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { TITLE_MAX_LENGTH, TitleStore, readTitle, writeTitle } from './document-title.js';

describe('document title', () => {
  it('lives in meta.title, where the relay reads it', () => {
    const doc = new Y.Doc();
    writeTitle(doc, 'Meeting notes');
    expect(doc.getMap('meta').get('title')).toBe('Meeting notes');
    expect(readTitle(doc)).toBe('Meeting notes');
  });

  it('an empty title removes the key, so the list falls back to the name', () => {
    const doc = new Y.Doc();
    writeTitle(doc, 'x');
    writeTitle(doc, '   ');
    expect(doc.getMap('meta').has('title')).toBe(false);
    expect(readTitle(doc)).toBe('');
  });

  it('is one line and bounded', () => {
    const doc = new Y.Doc();
    writeTitle(doc, 'a\nb\r\nc');
    expect(readTitle(doc)).toBe('a b c');
    writeTitle(doc, 'y'.repeat(TITLE_MAX_LENGTH + 50));
    expect(readTitle(doc)).toHaveLength(TITLE_MAX_LENGTH);
  });

  it('ignores a title that is not a string', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('title', 42);
    expect(readTitle(doc)).toBe('');
  });

  it('rewriting the same title costs no update', () => {
    const doc = new Y.Doc();
    writeTitle(doc, 'Same');
    const onUpdate = vi.fn();
    doc.on('update', onUpdate);
    writeTitle(doc, 'Same');
    expect(onUpdate).not.toHaveBeenCalled();
  });

  it('the store follows remote renames', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const store = new TitleStore(b);
    const listener = vi.fn();
    store.subscribe(listener);
    writeTitle(a, 'From A');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(store.getSnapshot()).toBe('From A');
    expect(listener).toHaveBeenCalledTimes(1);
    store.destroy();
  });
});
