import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { EditorController } from './editor-controller';
import { collaborativeExtensions } from './extensions';

/**
 * The editor surface. CodeMirror owns the DOM and the text; React only mounts it, so typing
 * never re-renders React.
 */
export function CollabEditor({ controller }: { controller: EditorController }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: controller.text.toString(),
        extensions: collaborativeExtensions(controller),
      }),
    });
    const detach = controller.attach(view);
    return () => {
      detach();
      view.destroy();
    };
  }, [controller]);

  return <div className="editor" ref={host} data-testid="editor" />;
}
