/**
 * The save status as the badge shows it: the tracker's truth, paced so that typing does not
 * re-render the header on every keystroke.
 *
 * While someone types, the tracker's status flips twice per keystroke (saved → syncing when
 * the edit is made, syncing → saved when the relay acknowledges it a few milliseconds later),
 * and the local copy's state flips the same way. Shown as they happen, that is two React
 * commits, two style and layout passes and two extra frames per keystroke, and a screen
 * reader hearing "Saving", "All changes saved" on every key. So:
 *
 * - Anything less reassuring than what is shown (saved → syncing, → offline, → connecting)
 *   is shown at the next animation frame: the frame that paints the edit also withdraws
 *   "Saved". It is never shown late enough to be a lie.
 * - "Saved" is shown only once the status has stayed saved for `settleMs`: an edit that is
 *   acknowledged while the next keystroke is coming keeps "Saving…" up instead of blinking.
 *   Showing "Saving…" a little longer than needed is the safe direction.
 * - A new count of unsaved edits, or a new local-copy state, in the same state is shown at
 *   most once every `refreshMs` (the words say "3 edits not yet saved" only while the relay
 *   is slow; the count need not tick per key).
 */
import type { SaveStatus } from '@weft/client';

export interface SaveStatusSource {
  getSnapshot(): SaveStatus;
  subscribe(listener: () => void): () => void;
}

export interface PacingClock {
  /** Runs `callback` before the next frame is painted; returns a cancel. */
  frame(callback: () => void): () => void;
  /** Runs `callback` after `ms`; returns a cancel. */
  after(ms: number, callback: () => void): () => void;
  now(): number;
}

export interface Pacing {
  readonly settleMs: number;
  readonly refreshMs: number;
}

export const DEFAULT_PACING: Pacing = { settleMs: 500, refreshMs: 400 };

export const browserClock: PacingClock = {
  frame(callback) {
    if (typeof requestAnimationFrame !== 'function') return browserClock.after(0, callback);
    const id = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(id);
  },
  after(ms, callback) {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
  now: () => performance.now(),
};

/**
 * An external store for React's `useSyncExternalStore`. It follows the source only while
 * someone listens, so a component can create it during render and need not destroy it.
 */
export class PacedSaveStatus {
  private shown: SaveStatus;
  private readonly listeners = new Set<() => void>();
  private stopFollowing: (() => void) | null = null;
  private cancelPending: (() => void) | null = null;
  private lastShownAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly source: SaveStatusSource,
    private readonly clock: PacingClock = browserClock,
    private readonly pacing: Pacing = DEFAULT_PACING,
  ) {
    this.shown = source.getSnapshot();
  }

  readonly getSnapshot = (): SaveStatus => this.shown;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.stopFollowing === null) {
      this.stopFollowing = this.source.subscribe(this.onChange);
      // Whatever changed while nobody listened.
      this.onChange();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || this.stopFollowing === null) return;
      this.stopFollowing();
      this.stopFollowing = null;
      this.cancel();
    };
  };

  private readonly onChange = (): void => {
    const next = this.source.getSnapshot();
    const shown = this.shown;
    this.cancel();
    if (sameStatus(next, shown)) return;
    if (next.state === 'saved' && shown.state !== 'saved') {
      this.cancelPending = this.clock.after(this.pacing.settleMs, this.show);
    } else if (next.state !== shown.state) {
      // Less reassuring than "Saved", or one not-saved state for another: at the next frame.
      this.cancelPending = this.clock.frame(this.show);
    } else {
      // Same state, new details (count, local copy, retry time).
      const wait = this.lastShownAt + this.pacing.refreshMs - this.clock.now();
      this.cancelPending =
        wait <= 0 ? this.clock.frame(this.show) : this.clock.after(wait, this.show);
    }
  };

  private readonly show = (): void => {
    this.cancelPending = null;
    this.lastShownAt = this.clock.now();
    const next = this.source.getSnapshot();
    if (sameStatus(next, this.shown)) return;
    this.shown = next;
    for (const listener of this.listeners) listener();
  };

  private cancel(): void {
    this.cancelPending?.();
    this.cancelPending = null;
  }
}

function sameStatus(a: SaveStatus, b: SaveStatus): boolean {
  return (
    a.state === b.state && a.unsaved === b.unsaved && a.local === b.local && a.retryAt === b.retryAt
  );
}
