/**
 * Documents opened on this device, newest first, kept in local storage. The list page shows
 * them when the relay cannot be reached, so a user offline can still get back to a document
 * whose copy this browser holds.
 */

export interface RecentDoc {
  readonly name: string;
  readonly title: string | null;
  /** Epoch ms of the last time it was open here. */
  readonly openedAt: number;
}

const STORAGE_KEY = 'weft:recent';
const LIMIT = 50;

export function parseRecent(raw: string | null): RecentDoc[] {
  try {
    const value: unknown = JSON.parse(raw ?? '[]');
    if (!Array.isArray(value)) return [];
    return value.filter(isRecentDoc);
  } catch {
    return [];
  }
}

function isRecentDoc(value: unknown): value is RecentDoc {
  if (typeof value !== 'object' || value === null) return false;
  const { name, title, openedAt } = value as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    (title === null || typeof title === 'string') &&
    typeof openedAt === 'number'
  );
}

/** `list` with `doc` moved to the front (replacing its old entry), at most LIMIT long. */
export function withRecent(list: readonly RecentDoc[], doc: RecentDoc): RecentDoc[] {
  return [doc, ...list.filter((item) => item.name !== doc.name)].slice(0, LIMIT);
}

export function loadRecentDocs(): RecentDoc[] {
  try {
    return parseRecent(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return [];
  }
}

export function rememberDoc(name: string, title: string): void {
  try {
    const list = withRecent(loadRecentDocs(), {
      name,
      title: title.trim() === '' ? null : title,
      openedAt: Date.now(),
    });
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(list));
  } catch {
    // Full or disabled storage: the list is a convenience.
  }
}
