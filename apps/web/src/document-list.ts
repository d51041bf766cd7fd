/**
 * The document list: what `/api/docs` returns, and the filtering and ordering the list page
 * applies to it (pure functions, tested on their own).
 */
import type { DocEvent } from '@weft/protocol';

export interface DocSummary {
  readonly name: string;
  readonly title: string | null;
  readonly bytes: number;
  /** Epoch ms of the last stored edit. */
  readonly modified: number;
  /** Connections open to it now (absent from relays that do not say). */
  readonly people?: number;
}

/** The list after `event`: the document added or updated, or gone when it was trashed. */
export function applyDocEvent(docs: readonly DocSummary[], event: DocEvent): readonly DocSummary[] {
  const others = docs.filter((doc) => doc.name !== event.name);
  if (event.deleted) return others;
  const { name, title, modified, size, people } = event;
  return [...others, { name, title, bytes: size, modified, people }];
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

/** The relay wants a valid token for `/api/docs` (secured mode) and got none that works. */
export class DocListAccessError extends Error {
  constructor(readonly status: number) {
    super(`the server answered ${status}: it needs an access link`);
    this.name = 'DocListAccessError';
  }
}

/**
 * The documents the relay lists. In secured mode each token sees the documents its pattern
 * grants, so the list is asked for with every unexpired token (as `Authorization: Bearer`)
 * and the answers merged; with no token (local mode) it is asked once without one.
 * Throws DocListAccessError when every answer was 401/403.
 */
export async function fetchDocs(
  signal: AbortSignal,
  tokens: readonly string[] = [],
  fetchImpl: typeof fetch = fetch,
): Promise<DocSummary[]> {
  if (tokens.length === 0) return fetchDocsWith(signal, null, fetchImpl);
  const results = await Promise.allSettled(
    tokens.map((token) => fetchDocsWith(signal, token, fetchImpl)),
  );
  const merged = new Map<string, DocSummary>();
  let refusal: unknown = null;
  let error: unknown = null;
  let answered = false;
  for (const result of results) {
    if (result.status === 'fulfilled') {
      answered = true;
      for (const doc of result.value) merged.set(doc.name, doc);
    } else if (result.reason instanceof DocListAccessError) {
      refusal ??= result.reason;
    } else {
      error ??= result.reason;
    }
  }
  if (answered) return [...merged.values()];
  // A network error says more about what is wrong than a refusal of some token.
  throw error ?? refusal;
}

async function fetchDocsWith(
  signal: AbortSignal,
  token: string | null,
  fetchImpl: typeof fetch,
): Promise<DocSummary[]> {
  const response = await fetchImpl('/api/docs', {
    signal,
    cache: 'no-store',
    headers: token === null ? {} : { Authorization: `Bearer ${token}` },
  });
  if (response.status === 401 || response.status === 403) {
    throw new DocListAccessError(response.status);
  }
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
