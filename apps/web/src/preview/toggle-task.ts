/**
 * Ticking a task in the preview ticks it in the shared text. The preview may be a moment
 * behind the text (it is re-rendered after a short delay, and others type meanwhile), so each
 * task's mark is anchored with a Yjs relative position when it is rendered: it follows its
 * character through everyone's concurrent edits, and a mark someone deleted is never
 * "ticked" by writing into whatever now sits at its old offset.
 */
import * as Y from 'yjs';
import type { TaskMarker } from './task-lists';

/** Anchors `tasks`, found in `text`'s current content, to their characters. */
export function anchorTasks(text: Y.Text, tasks: readonly TaskMarker[]): Y.RelativePosition[] {
  return tasks.map((task) => Y.createRelativePositionFromTypeIndex(text, task.offset));
}

/**
 * Writes `checked` into the task mark at `anchor`, as one edit with `origin` (so the user's
 * undo can take it back). Returns false, changing nothing, when the mark is no longer a task
 * mark (`[ ]`, `[x]` or `[X]`).
 */
export function setTask(
  text: Y.Text,
  anchor: Y.RelativePosition,
  checked: boolean,
  origin: unknown,
): boolean {
  const doc = text.doc;
  if (doc === null) return false;
  const absolute = Y.createAbsolutePositionFromRelativePosition(anchor, doc);
  if (absolute?.type !== text) return false;
  const index = absolute.index;
  const around = text.toString().slice(index - 1, index + 2);
  if (index < 1 || !/^\[[ xX]\]$/.test(around)) return false;
  const mark = checked ? 'x' : ' ';
  if ((around[1] !== ' ') === checked) return true;
  doc.transact(() => {
    text.delete(index, 1);
    text.insert(index, mark);
  }, origin);
  return true;
}
