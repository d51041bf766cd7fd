/**
 * Following a collaborator: while on, this user's view keeps the followed person's cursor in
 * sight, scrolling only when it leaves the visible part of the editor (so the page does not
 * jitter while they type on screen). Any input of this user's own — typing, a click or tap in
 * the editor, the mouse wheel, a swipe, the scrolling keys — or Escape ends it, and so does
 * the followed person leaving. Each start and stop is announced in words for screen readers.
 */
import { EditorView } from '@codemirror/view';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { ValueStore } from '../lib/value-store';
import { absoluteIndex } from './remote-cursors';

export interface Followed {
  readonly clientId: number;
  readonly name: string;
}

interface PeerState {
  readonly user?: { readonly name?: unknown };
  readonly cursor?: { readonly head?: unknown } | null;
}

/** Keys that only move focus or modify other keys: using them is not "your own input". */
const PASSIVE_KEYS = new Set(['Tab', 'Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph']);

export class FollowMode {
  readonly followed = new ValueStore<Followed | null>(null);
  /** The last start or stop, in words, for an `aria-live` region. */
  readonly announcement = new ValueStore('');
  private frame = 0;

  constructor(
    private readonly text: Y.Text,
    private readonly awareness: Awareness,
    private readonly view: () => EditorView | null,
    /** Height of whatever covers the top of the viewport (the sticky header), in pixels. */
    private readonly coveredTop: () => number,
  ) {}

  start(clientId: number): void {
    if (clientId === this.awareness.clientID) return;
    const state = this.awareness.getStates().get(clientId) as PeerState | undefined;
    if (state === undefined) return;
    const name = typeof state.user?.name === 'string' ? state.user.name : 'Anonymous';
    if (this.followed.getSnapshot() === null) this.listen();
    this.followed.set({ clientId, name });
    this.announcement.set(
      `Following ${name}. Your view stays on their cursor; press Escape or type to stop.`,
    );
    this.keepInSight();
  }

  stop(reason: 'you' | 'left' = 'you'): void {
    const followed = this.followed.getSnapshot();
    if (followed === null) return;
    this.unlisten();
    this.followed.set(null);
    this.announcement.set(
      reason === 'left'
        ? `${followed.name} left the document. Stopped following.`
        : `Stopped following ${followed.name}.`,
    );
  }

  destroy(): void {
    this.unlisten();
    this.followed.clear();
    this.announcement.clear();
  }

  /** Scrolls the followed cursor into the middle of the view if it is not visible now. */
  private keepInSight(): void {
    const followed = this.followed.getSnapshot();
    const view = this.view();
    if (followed === null || view === null) return;
    const state = this.awareness.getStates().get(followed.clientId) as PeerState | undefined;
    const index = absoluteIndex(this.text, state?.cursor?.head);
    if (index === null || index > view.state.doc.length || this.isVisible(view, index)) return;
    view.dispatch({ effects: EditorView.scrollIntoView(index, { y: 'center' }) });
  }

  private isVisible(view: EditorView, index: number): boolean {
    // Lines far from the viewport are not drawn, so they have no coordinates.
    const coords = view.coordsAtPos(index);
    if (coords === null) return false;
    const scroller = view.scrollDOM.getBoundingClientRect();
    const top = Math.max(scroller.top, this.coveredTop());
    const bottom = Math.min(scroller.bottom, window.innerHeight);
    // A pixel of slack: CodeMirror scrolls a line exactly to the edge, rounding aside.
    return coords.top >= top - 1 && coords.bottom <= bottom + 1;
  }

  private readonly onAwareness = ({
    updated,
    removed,
  }: {
    added: number[];
    updated: number[];
    removed: number[];
  }): void => {
    const followed = this.followed.getSnapshot();
    if (followed === null) return;
    if (removed.includes(followed.clientId)) {
      this.stop('left');
    } else if (updated.includes(followed.clientId)) {
      // After the editor has drawn the edit that moved their cursor.
      cancelAnimationFrame(this.frame);
      this.frame = requestAnimationFrame(() => this.keepInSight());
    }
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' || !PASSIVE_KEYS.has(event.key)) this.stop();
  };

  private readonly onPointerDown = (event: PointerEvent): void => {
    const target = event.target;
    const view = this.view();
    // A click or tap into the text, or on the page's own scrollbar.
    if (
      target === document.documentElement ||
      (target instanceof Node && view !== null && view.dom.contains(target))
    ) {
      this.stop();
    }
  };

  private readonly onScrollGesture = (): void => this.stop();

  private listen(): void {
    this.awareness.on('change', this.onAwareness);
    document.addEventListener('keydown', this.onKeyDown, true);
    document.addEventListener('pointerdown', this.onPointerDown, true);
    document.addEventListener('wheel', this.onScrollGesture, { capture: true, passive: true });
    document.addEventListener('touchmove', this.onScrollGesture, { capture: true, passive: true });
  }

  private unlisten(): void {
    cancelAnimationFrame(this.frame);
    this.awareness.off('change', this.onAwareness);
    document.removeEventListener('keydown', this.onKeyDown, true);
    document.removeEventListener('pointerdown', this.onPointerDown, true);
    document.removeEventListener('wheel', this.onScrollGesture, true);
    document.removeEventListener('touchmove', this.onScrollGesture, true);
  }
}
