/**
 * The CodeMirror setup for a shared Markdown document. Undo is Yjs's per-user UndoManager
 * (through the binding's keymap, placed before the default keymap), never CodeMirror's own
 * history, so undo only ever takes back this user's edits.
 */
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { markdown, markdownLanguage } from '@codemirror/lang-markdown';
import { syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search';
import type { Extension } from '@codemirror/state';
import {
  EditorView,
  crosshairCursor,
  drawSelection,
  dropCursor,
  keymap,
  placeholder,
  rectangularSelection,
} from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { formattingKeymap } from './formatting';
import { markdownHighlightStyle } from './highlight';
import { remoteCursors } from './remote-cursors';

export interface CollaborativeEditorConfig {
  readonly text: Y.Text;
  readonly awareness: Awareness;
  /** Shared with the toolbar's undo/redo buttons. */
  readonly undoManager: Y.UndoManager;
}

export function collaborativeExtensions(config: CollaborativeEditorConfig): Extension[] {
  return [
    keymap.of([
      ...yUndoManagerKeymap,
      ...formattingKeymap,
      ...searchKeymap,
      ...defaultKeymap,
      indentWithTab,
    ]),
    drawSelection(),
    dropCursor(),
    rectangularSelection(),
    crosshairCursor(),
    EditorView.lineWrapping,
    // GitHub-flavoured Markdown (tables, task lists, strikethrough); Enter continues lists.
    markdown({ base: markdownLanguage }),
    syntaxHighlighting(markdownHighlightStyle),
    search({ top: true }),
    highlightSelectionMatches(),
    placeholder('Start writing…'),
    EditorView.contentAttributes.of({ 'aria-label': 'Document text', spellcheck: 'true' }),
    // No awareness here: remoteCursors draws others' cursors and publishes ours.
    yCollab(config.text, null, { undoManager: config.undoManager }),
    remoteCursors(config.text, config.awareness),
  ];
}
