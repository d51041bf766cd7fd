/**
 * Restoring a version as a new forward change. Writing the old state over the stored one
 * would not work: open editors and offline copies would merge the newer state straight back.
 * Instead the relay stores a "before restore" checkpoint, then applies to the live document
 * the one change (textChange: common ends kept, the middle replaced) that turns the current
 * text and title into the version's, by the restoring user, and checkpoints the result. The
 * change is an ordinary update: broadcast, stored and acknowledged like any edit, so every
 * open editor, every offline copy that reconnects later and every relay converge to it.
 */
import { applyContent } from '@weft/protocol';
import type { Author, Checkpoint, CheckpointInfo, DocStore } from '@weft/storage';
import * as Y from 'yjs';
import type { Room } from '../room';
import type { Rooms } from '../rooms';
import { UserChange } from './checkpointer';

/** The text and title a checkpoint holds. */
export function contentOfCheckpoint(checkpoint: Checkpoint): { text: string; title: string } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, checkpoint.state);
  const text = doc.getText('content').toString();
  doc.destroy();
  return { text, title: checkpoint.title ?? '' };
}

/** Applies `target` to `room`'s document as one transaction by `author`. */
function applyRoomContent(room: Room, target: { text: string; title: string }, author: Author) {
  room.doc.transact(() => {
    applyContent(room.doc.getText('content'), room.doc.getMap('meta'), target);
  }, new UserChange(author));
}

export type RestoreResult =
  | { readonly ok: true; readonly before: CheckpointInfo; readonly restored: CheckpointInfo }
  | { readonly ok: false };

/** Restores version `id` of `docName` for `author`; `ok: false` when there is no such version. */
export async function restoreVersion(
  rooms: Rooms,
  store: DocStore,
  docName: string,
  id: string,
  author: Author,
): Promise<RestoreResult> {
  const room = await rooms.acquire(docName);
  try {
    const version = await store.loadCheckpoint(docName, id);
    if (version === null) return { ok: false };
    const before = await room.checkpointer.checkpoint('before-restore', { restoredFrom: id });
    applyRoomContent(room, contentOfCheckpoint(version), author);
    const restored = await room.checkpointer.checkpoint('restore', {
      restoredFrom: id,
      authors: [author],
    });
    return { ok: true, before, restored };
  } finally {
    rooms.release(room);
  }
}
