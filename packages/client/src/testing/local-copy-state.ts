/** Test helper: waiting for a local copy to reach a state. */
import type { LocalCopy, LocalCopyState } from '../local-copy.js';

/** Resolves once `copy` reaches `state` (at once if it is there already). */
export function untilLocalCopyIs(copy: LocalCopy, state: LocalCopyState): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (copy.getSnapshot() === state) {
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = copy.subscribe(check);
    check();
  });
}
