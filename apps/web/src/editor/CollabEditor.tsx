import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { EditorController } from './editor-controller';
import { collaborativeExtensions, readOnlyExtension } from './extensions';

/**
 * The editor surface. CodeMirror owns the DOM and the text; React only mounts it, so typing
 * never re-renders React. Read-only access is switched in place (a new token may change it).
 */
export function CollabEditor({ controller }: { controller: EditorController }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!host.current) return;
    const access = new Compartment();
    const view = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: controller.text.toString(),
        extensions: [
          access.of(readOnlyExtension(controller.readOnly.getSnapshot())),
          collaborativeExtensions(controller),
        ],
      }),
    });
    const detach = controller.attach(view);
    const unsubscribe = controller.readOnly.subscribe(() => {
      view.dispatch({
        effects: access.reconfigure(readOnlyExtension(controller.readOnly.getSnapshot())),
      });
    });
    return () => {
      unsubscribe();
      detach();
      view.destroy();
    };
  }, [controller]);

  return <div className="editor" ref={host} data-testid="editor" />;
}
