/** The one order every store lists checkpoints in. */
import type { CheckpointInfo } from './doc-store';

/** Newest first: later `createdAt` first, and among equal times the later id (added later). */
export function newestFirst<T extends CheckpointInfo>(checkpoints: readonly T[]): T[] {
  return [...checkpoints].sort((a, b) => b.createdAt - a.createdAt || Number(b.id) - Number(a.id));
}
