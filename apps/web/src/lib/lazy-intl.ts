/**
 * Intl objects made on first use, not when a module loads. The first Intl object a page
 * makes (a segmenter, a number format, `toLocaleString`) loads ICU's locale data: 17–46 ms in
 * Chromium on this project's machine, measured alone, which opening a document does not need.
 */
export function lazyIntl<T>(create: () => T): () => T {
  let made: { readonly value: T } | null = null;
  return () => (made ??= { value: create() }).value;
}

/**
 * A count with its digits grouped in threes, as English writes them ("12,345"): what
 * `toLocaleString()` shows in the English the interface is written in, without loading ICU's
 * number data into the page as it opens.
 */
export function groupDigits(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
