/**
 * The CodeMirror setup for a shared Markdown document. Undo is Yjs's per-user UndoManager
 * (through the binding's keymap, placed before the default keymap), never CodeMirror's own
 * history, so undo only ever takes back this user's edits.
 */
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import { EditorState, type Extension } from '@codemirror/state';
import {
  EditorView,
  type KeyBinding,
  crosshairCursor,
  dropCursor,
  keymap,
  placeholder,
  rectangularSelection,
} from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { selectionDrawing } from './selection-drawing';
import { formattingKeymap } from './formatting';
import { markdownWithHtmlLater } from './html-in-markdown';
import { markdownHighlightStyle } from './highlight';
import { remoteCursors } from './remote-cursors';
import { stickyHeaderMargins } from './sticky-header';

/** The id of the visible hint that says how to leave the editor with the keyboard. */
export const KEYBOARD_HINT_ID = 'editor-keyboard-hint';

export interface CollaborativeEditorConfig {
  readonly text: Y.Text;
  readonly awareness: Awareness;
  /** Shared with the toolbar's undo/redo buttons. */
  readonly undoManager: Y.UndoManager;
}

/**
 * Read-only access: the state refuses user edits and the content is not editable, but it can
 * still be focused (tabindex), so a reader can select, copy, search and move a cursor that
 * others see.
 */
export function readOnlyExtension(readOnly: boolean): Extension {
  return readOnly
    ? [
        EditorState.readOnly.of(true),
        EditorView.editable.of(false),
        EditorView.contentAttributes.of({ tabindex: '0', 'aria-readonly': 'true' }),
      ]
    : [];
}

/** The binding's undo/redo change the Y.Text directly, past CodeMirror's read-only check. */
const guardedUndoKeymap: readonly KeyBinding[] = yUndoManagerKeymap.map((binding) => ({
  ...binding,
  run: (view) => (view.state.readOnly ? true : (binding.run?.(view) ?? false)),
}));

export function collaborativeExtensions(config: CollaborativeEditorConfig): Extension[] {
  return [
    keymap.of([
      ...guardedUndoKeymap,
      ...formattingKeymap,
      ...searchKeymap,
      ...defaultKeymap,
      indentWithTab,
    ]),
    // The browser's caret for one selection, drawn ones for several (selection-drawing.ts).
    selectionDrawing(),
    dropCursor(),
    rectangularSelection(),
    crosshairCursor(),
    EditorView.lineWrapping,
    // GitHub-flavoured Markdown; HTML inside it only once the editor is idle
    // (html-in-markdown.ts, loadHtmlInMarkdown).
    markdownWithHtmlLater(),
    syntaxHighlighting(markdownHighlightStyle),
    search({ top: true }),
    highlightSelectionMatches(),
    placeholder('Start writing…'),
    // Tab indents (indentWithTab), so the way out is Escape then Tab (CodeMirror's tab focus
    // mode), told in a visible hint that screen readers read as the text's description.
    EditorView.contentAttributes.of({
      'aria-label': 'Document text',
      'aria-describedby': KEYBOARD_HINT_ID,
      spellcheck: 'true',
    }),
    stickyHeaderMargins,
    // No awareness here: remoteCursors draws others' cursors and publishes ours.
    yCollab(config.text, null, { undoManager: config.undoManager }),
    remoteCursors(config.text, config.awareness),
  ];
}
