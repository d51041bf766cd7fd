import { EditorSelection, EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { drawsSelection, selectionDrawing } from './selection-drawing';

const start = () => EditorState.create({ doc: 'one two three', extensions: [selectionDrawing()] });

describe('selectionDrawing', () => {
  it('leaves one cursor or range to the browser', () => {
    const state = start().update({ selection: EditorSelection.range(0, 3) }).state;
    expect(drawsSelection(state)).toBe(false);
  });

  it('draws several ranges, and hands back to the browser when one is left', () => {
    const several = start().update({
      selection: EditorSelection.create([EditorSelection.cursor(0), EditorSelection.cursor(4)]),
    }).state;
    expect(drawsSelection(several)).toBe(true);
    const typed = several.update({ changes: { from: 8, insert: 'x' } }).state;
    expect(drawsSelection(typed)).toBe(true);
    const one = typed.update({ selection: EditorSelection.cursor(2) }).state;
    expect(drawsSelection(one)).toBe(false);
  });

  it('notices ranges merged by an edit', () => {
    const several = start().update({
      selection: EditorSelection.create([EditorSelection.cursor(3), EditorSelection.cursor(4)]),
    }).state;
    // Deleting the space between the two cursors leaves them at the same place: one range.
    const merged = several.update({ changes: { from: 3, to: 4 } }).state;
    expect(merged.selection.ranges).toHaveLength(1);
    expect(drawsSelection(merged)).toBe(false);
  });
});
