import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { DocumentSession } from '@weft/client';
import { collaborativeExtensions } from './extensions';

/**
 * The editor surface. CodeMirror owns the DOM and the text; React only mounts it, so typing
 * never re-renders React.
 */
export function CollabEditor({ session }: { session: DocumentSession }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: session.text.toString(),
        extensions: collaborativeExtensions(session.text, session.awareness),
      }),
    });
    return () => view.destroy();
  }, [session]);

  return <div className="editor" ref={host} data-testid="editor" />;
}
