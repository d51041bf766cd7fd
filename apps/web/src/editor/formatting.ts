/**
 * Markdown formatting commands for the toolbar and shortcuts (Mod-b, Mod-i, …). Each is an
 * ordinary CodeMirror transaction, so through the Yjs binding it is one undoable edit of
 * this user, merged with others' edits like typing.
 */
import { EditorSelection, type EditorState, type TransactionSpec } from '@codemirror/state';
import type { EditorView, KeyBinding } from '@codemirror/view';

type StateCommand = (state: EditorState) => TransactionSpec | null;

/** Wraps each selection in `marker` (e.g. `**`), or unwraps it when it is already wrapped. */
export function toggleWrap(marker: string): StateCommand {
  return (state) =>
    state.changeByRange((range) => {
      const size = marker.length;
      const before = state.sliceDoc(range.from - size, range.from);
      const after = state.sliceDoc(range.to, range.to + size);
      if (before === marker && after === marker) {
        return {
          changes: [
            { from: range.from - size, to: range.from },
            { from: range.to, to: range.to + size },
          ],
          range: EditorSelection.range(range.from - size, range.to - size),
        };
      }
      const inner = state.sliceDoc(range.from, range.to);
      if (inner.length >= 2 * size && inner.startsWith(marker) && inner.endsWith(marker)) {
        return {
          changes: { from: range.from, to: range.to, insert: inner.slice(size, -size) },
          range: EditorSelection.range(range.from, range.to - 2 * size),
        };
      }
      return {
        changes: [
          { from: range.from, insert: marker },
          { from: range.to, insert: marker },
        ],
        range: EditorSelection.range(range.from + size, range.to + size),
      };
    });
}

/**
 * Toggles a line prefix (`> `, `- `, `1. `, `## `) on every line the selection touches:
 * removed when all of them have it, otherwise set (replacing another prefix of the same
 * kind, so `## ` turns an `# ` heading into a level-2 one).
 */
export function toggleLinePrefix(prefix: string, kind: RegExp): StateCommand {
  return (state) => {
    const lines = new Map<number, { from: number; text: string }>();
    for (const range of state.selection.ranges) {
      const first = state.doc.lineAt(range.from).number;
      const last = state.doc.lineAt(range.to).number;
      for (let n = first; n <= last; n++) {
        const line = state.doc.line(n);
        lines.set(line.from, { from: line.from, text: line.text });
      }
    }
    const all = [...lines.values()];
    const remove = all.every((line) => line.text.startsWith(prefix));
    const changes = all.map((line) => {
      const existing = kind.exec(line.text)?.[0] ?? '';
      if (remove) return { from: line.from, to: line.from + prefix.length };
      return { from: line.from, to: line.from + existing.length, insert: prefix };
    });
    return { changes, scrollIntoView: true };
  };
}

/** Turns the selection into a link and selects the URL placeholder to type over. */
export const insertLink: StateCommand = (state) =>
  state.changeByRange((range) => {
    const label = state.sliceDoc(range.from, range.to) || 'link text';
    const insert = `[${label}](https://)`;
    const urlStart = range.from + label.length + 3;
    return {
      changes: { from: range.from, to: range.to, insert },
      range: EditorSelection.range(urlStart, urlStart + 'https://'.length),
    };
  });

const HEADING = /^#{1,6}\s+/;
const QUOTE = /^>\s?/;
const LIST = /^(\s*)([-*+]|\d+[.)])\s+/;

export const formats = {
  bold: toggleWrap('**'),
  italic: toggleWrap('*'),
  strikethrough: toggleWrap('~~'),
  code: toggleWrap('`'),
  heading1: toggleLinePrefix('# ', HEADING),
  heading2: toggleLinePrefix('## ', HEADING),
  quote: toggleLinePrefix('> ', QUOTE),
  bulletList: toggleLinePrefix('- ', LIST),
  numberedList: toggleLinePrefix('1. ', LIST),
  link: insertLink,
} as const satisfies Record<string, StateCommand>;

export type FormatName = keyof typeof formats;

/** Applies a format to the view as one user edit and keeps the focus in the text. */
export function applyFormat(view: EditorView, name: FormatName): boolean {
  // Programmatic changes bypass CodeMirror's read-only check; commands must make it.
  if (view.state.readOnly) return false;
  const spec = formats[name](view.state);
  if (spec === null) return false;
  view.dispatch(view.state.update(spec, { userEvent: 'input.format' }));
  view.focus();
  return true;
}

export const formattingKeymap: readonly KeyBinding[] = [
  { key: 'Mod-b', run: (view) => applyFormat(view, 'bold') },
  { key: 'Mod-i', run: (view) => applyFormat(view, 'italic') },
  { key: 'Mod-Shift-x', run: (view) => applyFormat(view, 'strikethrough') },
  { key: 'Mod-e', run: (view) => applyFormat(view, 'code') },
  { key: 'Mod-k', run: (view) => applyFormat(view, 'link') },
  { key: 'Mod-Alt-1', run: (view) => applyFormat(view, 'heading1') },
  { key: 'Mod-Alt-2', run: (view) => applyFormat(view, 'heading2') },
  { key: 'Mod-Shift-8', run: (view) => applyFormat(view, 'bulletList') },
  { key: 'Mod-Shift-7', run: (view) => applyFormat(view, 'numberedList') },
  { key: 'Mod-Shift-9', run: (view) => applyFormat(view, 'quote') },
];
