/**
 * The document list: what `/api/docs` returns, and the filtering and ordering the list page
 * applies to it (pure functions, tested on their own).
 */

export interface DocSummary {
  readonly name: string;
  readonly title: string | null;
  readonly bytes: number;
  /** Epoch ms of the last stored edit. */
  readonly modified: number;
}

function isDocSummary(value: unknown): value is DocSummary {
  if (typeof value !== 'object' || value === null) return false;
  const { name, title, bytes, modified } = value as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    (title === null || typeof title === 'string') &&
    typeof bytes === 'number' &&
    typeof modified === 'number'
  );
}

export async function fetchDocs(signal: AbortSignal): Promise<DocSummary[]> {
  const response = await fetch('/api/docs', { signal, cache: 'no-store' });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const body = (await response.json()) as { docs?: unknown };
  if (!Array.isArray(body.docs)) throw new Error('the server sent no document list');
  return body.docs.filter(isDocSummary);
}

/** The title to show: the title, or the name for untitled documents. */
export function displayTitle(doc: { readonly name: string; readonly title: string | null }) {
  return doc.title !== null && doc.title.trim() !== '' ? doc.title : doc.name;
}

/**
 * Documents whose title or name contains every word of `query` (case- and
 * accent-insensitive), newest first.
 */
export function filterDocs<T extends { name: string; title: string | null }>(
  docs: readonly T[],
  query: string,
  newestFirst: (a: T, b: T) => number,
): T[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  return docs
    .filter((doc) => {
      const haystack = fold(`${doc.title ?? ''} ${doc.name}`);
      return words.every((word) => haystack.includes(word));
    })
    .sort(newestFirst);
}

function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}
