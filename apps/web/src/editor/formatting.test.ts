import { EditorSelection, EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { formats, type FormatName } from './formatting';

/** Applies a format to `doc` with the selection [from, to) and returns text and selection. */
function apply(name: FormatName, doc: string, from: number, to = from) {
  const state = EditorState.create({
    doc,
    selection: EditorSelection.single(from, to),
    extensions: EditorState.allowMultipleSelections.of(true),
  });
  const spec = formats[name](state);
  if (spec === null) throw new Error('no change');
  const next = state.update(spec).state;
  const range = next.selection.main;
  return { text: next.doc.toString(), selected: next.sliceDoc(range.from, range.to) };
}

describe('formatting', () => {
  it('wraps and unwraps the selection', () => {
    expect(apply('bold', 'a word here', 2, 6)).toEqual({
      text: 'a **word** here',
      selected: 'word',
    });
    expect(apply('bold', 'a **word** here', 4, 8)).toEqual({
      text: 'a word here',
      selected: 'word',
    });
    expect(apply('bold', 'a **word** here', 2, 10)).toEqual({
      text: 'a word here',
      selected: 'word',
    });
  });

  it('with no selection, leaves the caret between the marks', () => {
    const state = EditorState.create({ doc: 'ab', selection: EditorSelection.cursor(1) });
    const spec = formats.italic(state);
    if (spec === null) throw new Error('no change');
    const next = state.update(spec).state;
    expect(next.doc.toString()).toBe('a**b');
    expect(next.selection.main.head).toBe(2);
  });

  it('toggles line prefixes on every selected line', () => {
    expect(apply('bulletList', 'one\ntwo', 0, 7).text).toBe('- one\n- two');
    expect(apply('bulletList', '- one\n- two', 0, 11).text).toBe('one\ntwo');
    expect(apply('quote', 'text', 2).text).toBe('> text');
  });

  it('switches heading levels instead of stacking them', () => {
    expect(apply('heading2', 'Title', 0).text).toBe('## Title');
    expect(apply('heading2', '# Title', 3).text).toBe('## Title');
    expect(apply('heading2', '## Title', 3).text).toBe('Title');
    expect(apply('numberedList', '- item', 2).text).toBe('1. item');
  });

  it('makes a link and selects the URL to type over', () => {
    expect(apply('link', 'see docs', 4, 8)).toEqual({
      text: 'see [docs](https://)',
      selected: 'https://',
    });
  });
});
