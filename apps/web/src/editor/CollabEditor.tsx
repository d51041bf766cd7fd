import { useLayoutEffect, useRef } from 'react';
import { adoptEarlyEditor } from '../document/early-document';
import type { EditorController } from './editor-controller';
import { MountedEditor } from './mounted-editor';

/**
 * The editor surface. CodeMirror owns the DOM and the text; React only mounts it, so typing
 * never re-renders React. On a document's address the editor usually exists already, shown
 * before React rendered the page (`document/early-document.ts`): it is moved in, not remade.
 */
export function CollabEditor({ controller }: { controller: EditorController }) {
  const host = useRef<HTMLDivElement>(null);

  // A layout effect, so that the text shows in the frame that shows the page around it.
  useLayoutEffect(() => {
    if (!host.current) return;
    const editor =
      adoptEarlyEditor(controller, host.current) ?? new MountedEditor(controller, host.current);
    return () => editor.destroy();
  }, [controller]);

  return <div className="editor" ref={host} data-testid="editor" />;
}
