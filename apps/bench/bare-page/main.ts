/**
 * The floor Weft's editor is measured against: the least a developer writes to edit one
 * shared Markdown document with the same libraries (y-websocket's WebsocketProvider,
 * y-codemirror.next's yCollab with its remote cursors, CodeMirror with the Markdown mode and
 * line wrapping), on Weft's relay. No React, no IndexedDB, no save status, no service worker.
 *
 * `/bare/index.html?doc=<name>&name=<user>&color=<#rrggbb>`; the relay serves it beside Weft's app (the
 * benchmark builds it, see src/editor/bare-page-build.ts).
 */
import { defaultKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

const params = new URLSearchParams(location.search);
const docName = params.get('doc');
if (docName === null) throw new Error('bare page: no ?doc=<name> in the address');
const color = params.get('color') ?? '#4e79a7';

const doc = new Y.Doc();
const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
const provider = new WebsocketProvider(`${scheme}://${location.host}`, docName, doc);
provider.awareness.setLocalStateField('user', {
  name: params.get('name') ?? 'Anonymous',
  color,
  colorLight: `${color}33`,
});
const text = doc.getText('content');

new EditorView({
  parent: document.body,
  state: EditorState.create({
    doc: text.toString(),
    extensions: [
      keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
      markdown(),
      syntaxHighlighting(defaultHighlightStyle),
      EditorView.lineWrapping,
      yCollab(text, provider.awareness, { undoManager: new Y.UndoManager(text) }),
    ],
  }),
});
