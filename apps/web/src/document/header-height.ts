/**
 * The height of a document page's sticky header (title row and toolbar) as the page last laid
 * it out, and the window width it had then. The page stand-in (`page-stand-in.ts`) has no
 * header controls yet, and on a narrow screen the controls wrap onto rows of their own, so
 * the stand-in takes the remembered height to put the text where the page will put it.
 */
import { safeStorage } from '../lib/safe-storage';

const KEY = 'weft:header-height';

interface Remembered {
  readonly width: number;
  readonly height: number;
}

function parse(value: string | null): Remembered | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value) as Partial<Remembered> | null;
    const { width, height } = parsed ?? {};
    return typeof width === 'number' && typeof height === 'number' && height > 0 && height < 1000
      ? { width, height }
      : null;
  } catch {
    return null;
  }
}

/** The header's height last time the window was `width` wide, or null if not known. */
export function rememberedHeaderHeight(width: number): number | null {
  const remembered = parse(safeStorage().getItem(KEY));
  return remembered?.width === width ? remembered.height : null;
}

/** Remembers `header`'s height whenever it changes, until the returned function is called. */
export function rememberHeaderHeight(header: HTMLElement): () => void {
  const storage = safeStorage();
  // Read in the observer's callback, after the browser's own layout: no forced layout.
  const observer = new ResizeObserver(() => {
    const height = Math.round(header.getBoundingClientRect().height * 100) / 100;
    const value = JSON.stringify({ width: window.innerWidth, height });
    if (storage.getItem(KEY) !== value) storage.setItem(KEY, value);
  });
  observer.observe(header);
  return () => observer.disconnect();
}
