/**
 * The CodeMirror setup for a shared Markdown document. Undo is Yjs's per-user UndoManager
 * (through the binding's keymap, placed before the default keymap), never CodeMirror's own
 * history, so undo only ever takes back this user's edits.
 */
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  keymap,
  placeholder,
} from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

export function collaborativeExtensions(text: Y.Text, awareness: Awareness): Extension[] {
  const undoManager = new Y.UndoManager(text);
  return [
    keymap.of([...yUndoManagerKeymap, ...defaultKeymap, indentWithTab]),
    drawSelection(),
    highlightActiveLine(),
    EditorView.lineWrapping,
    markdown(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    placeholder('Start writing…'),
    EditorView.contentAttributes.of({ 'aria-label': 'Document text', spellcheck: 'true' }),
    yCollab(text, awareness, { undoManager }),
  ];
}
