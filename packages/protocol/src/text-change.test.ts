import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyContent, isNoChange, textChange, type TextChange } from './text-change';

function apply(text: string, change: TextChange): string {
  return text.slice(0, change.index) + change.insert + text.slice(change.index + change.remove);
}

describe('textChange', () => {
  it('keeps the common prefix and suffix and replaces only the middle', () => {
    expect(textChange('alpha beta gamma', 'alpha delta gamma')).toEqual({
      index: 6,
      remove: 2,
      insert: 'del',
    });
    expect(textChange('beta', 'alpha')).toEqual({ index: 0, remove: 3, insert: 'alph' });
    expect(isNoChange(textChange('same', 'same'))).toBe(true);
    expect(isNoChange(textChange('same', 'same!'))).toBe(false);
    expect(isNoChange(textChange('same!', 'same'))).toBe(false);
  });

  it('turns any text into any other, emoji never split', () => {
    // 😀 and 😁 share their first UTF-16 unit, 😀 and 🈀 their second: either end may split.
    const samples = [
      '',
      'a',
      'ab',
      'alpha',
      'beta',
      '😀',
      'a😀b',
      'a😁b',
      '😀😁',
      '🈀',
      'a🈀',
      'aaa',
      'aa',
    ];
    for (const current of samples) {
      for (const target of samples) {
        const change = textChange(current, target);
        expect(apply(current, change)).toBe(target);
        const kept = current.slice(0, change.index) + current.slice(change.index + change.remove);
        expect(kept).not.toMatch(
          /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
        );
        expect(change.insert).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
      }
    }
  });
});

describe('applyContent', () => {
  it("turns a Y.Text and the meta title into the target's, keeping the common ends' items", () => {
    const doc = new Y.Doc();
    const text = doc.getText('content');
    const meta = doc.getMap('meta');
    text.insert(0, 'alpha beta gamma');
    meta.set('title', 'Old');
    const kept = Y.createRelativePositionFromTypeIndex(text, 15);
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    doc.transact(() => applyContent(text, meta, { text: 'alpha delta gamma', title: 'New' }));
    expect(text.toString()).toBe('alpha delta gamma');
    expect(meta.get('title')).toBe('New');
    expect(updates).toHaveLength(1);
    // The last 'm' of gamma is the same item as before: only the middle was replaced.
    expect(Y.createAbsolutePositionFromRelativePosition(kept, doc)?.index).toBe(16);
  });

  it('changes nothing, title included, when the document already holds the target', () => {
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'same');
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    applyContent(doc.getText('content'), doc.getMap('meta'), { text: 'same', title: '' });
    expect(updates).toHaveLength(0);
  });
});
