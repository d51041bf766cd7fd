/**
 * The editor scrolls with the page, under a sticky header (title, toolbar). Anything that
 * scrolls a position "into view" must count the header as covering the top of the window,
 * or the line it meant to show ends up hidden beneath it.
 */
import { EditorView } from '@codemirror/view';

/** Marks the element that stays stuck to the top of the viewport. */
export const STICKY_HEADER_CLASS = 'editor-top';

/** The bottom edge of the sticky header in viewport coordinates (0 when there is none). */
export function coveredTop(): number {
  const header = document.querySelector(`.${STICKY_HEADER_CLASS}`);
  return header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
}

/** CodeMirror's own scrolling (the cursor while typing, search matches) avoids the header. */
export const stickyHeaderMargins = EditorView.scrollMargins.of(() => ({ top: coveredTop() }));
