import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useLayoutEffect, useRef } from 'react';
import type { EditorController } from './editor-controller';
import { whenIdle } from '../lib/when-idle';
import { collaborativeExtensions, readOnlyExtension } from './extensions';
import { loadHtmlInMarkdown } from './html-in-markdown';

/**
 * The editor surface. CodeMirror owns the DOM and the text; React only mounts it, so typing
 * never re-renders React. Read-only access is switched in place (a new token may change it).
 */
export function CollabEditor({ controller }: { controller: EditorController }) {
  const host = useRef<HTMLDivElement>(null);

  // A layout effect, so that the text shows in the frame that shows the page around it.
  useLayoutEffect(() => {
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
    let open = true;
    // If the chunk cannot load (offline before the service worker cached it), HTML inside
    // Markdown stays plain text: nothing else depends on it.
    const cancelHtml = whenIdle(() => {
      loadHtmlInMarkdown().then(
        (effect) => open && view.dispatch({ effects: effect }),
        () => undefined,
      );
    });
    return () => {
      open = false;
      cancelHtml();
      unsubscribe();
      detach();
      view.destroy();
    };
  }, [controller]);

  return <div className="editor" ref={host} data-testid="editor" />;
}
