/**
 * How many of a row's equal-width overflowable items fit beside the row's other children,
 * for a "priority plus" toolbar: the items that do not fit move into a "More" menu instead
 * of being clipped or scrolling out of reach on a narrow screen.
 *
 * The row is measured only in its ResizeObserver's callback, which the browser runs after it
 * has laid out the frame and before it paints it: the geometry is already known there, and a
 * new count is rendered at once (flushSync) so that the frame never shows the wrong one.
 * Measuring when the toolbar mounted forced a layout of the whole page in the middle of
 * opening a document (25–45 ms in a profile), which the frame then did again.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';

/** Children of the row that are not counted as fixed-width neighbours. */
export const OVERFLOW_ATTRIBUTE = 'data-overflow';

export function useFittingCount(rowRef: RefObject<HTMLElement | null>, total: number): number {
  const [count, setCount] = useState(total);

  useLayoutEffect(() => {
    const row = rowRef.current;
    if (!row) return;
    const measure = () => {
      const style = getComputedStyle(row);
      const gap = parseFloat(style.columnGap) || 0;
      const inner =
        row.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      let fixed = 0;
      let visibleChildren = 0;
      for (const child of row.children) {
        if (!(child instanceof HTMLElement) || child.offsetParent === null) continue;
        visibleChildren++;
        if (!child.hasAttribute(OVERFLOW_ATTRIBUTE)) fixed += child.offsetWidth;
      }
      const item = row.querySelector<HTMLElement>(`[${OVERFLOW_ATTRIBUTE}] > *`);
      // Before anything is drawn (or with every item hidden) fall back to a typical button.
      const itemWidth = item ? item.offsetWidth + gap : 36;
      const space = inner - fixed - gap * Math.max(0, visibleChildren - 1);
      const fitsAll = Math.floor((space + gap) / itemWidth) >= total;
      setCount(fitsAll ? total : Math.max(0, Math.floor((space - itemWidth) / itemWidth)));
    };
    const observer = new ResizeObserver(() => {
      flushSync(measure);
    });
    observer.observe(row);
    return () => observer.disconnect();
  }, [rowRef, total]);

  return count;
}
