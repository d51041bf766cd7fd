/**
 * A restore applied in this browser: one transaction, the same change the relay would make
 * (`textChange`: common ends kept), with an origin this user's undo manager tracks, so that
 * Ctrl+Z takes the restore back for this user alone. It reaches everyone else, the relay and
 * the offline copy like any other edit.
 */
import { applyContent } from '@weft/protocol';
import type * as Y from 'yjs';
import type { EditorController } from '../editor/editor-controller';

const restoreOrigin = { source: 'weft-restore' };

export function applyRestore(
  controller: EditorController,
  meta: Y.Map<unknown>,
  target: { text: string; title: string },
): void {
  const { text, undoManager } = controller;
  undoManager.addTrackedOrigin(restoreOrigin);
  // Its own undo step, never merged with typing just before or after.
  undoManager.stopCapturing();
  text.doc?.transact(() => applyContent(text, meta, target), restoreOrigin);
  undoManager.stopCapturing();
}
