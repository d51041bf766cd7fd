/**
 * A document's title: the string at key `title` of the shared `Y.Map` named `meta`. The relay
 * reads the same key for its document list, so a rename shows up there too.
 *
 * Concurrent renames resolve like any Y.Map key: one of them wins everywhere.
 */
import type * as Y from 'yjs';

export const TITLE_MAX_LENGTH = 200;

/** The shared map that holds document metadata. */
export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap('meta');
}

/** The title, or '' when the document has none (or something that is not a string). */
export function readTitle(doc: Y.Doc): string {
  const title = metaMap(doc).get('title');
  return typeof title === 'string' ? title : '';
}

/**
 * Sets the title, cut to `TITLE_MAX_LENGTH` and with line breaks turned into spaces. An empty
 * (or whitespace-only) title removes the key, so the document is listed by its name again.
 * Writing the title it already has is a no-op, so it costs no update.
 */
export function writeTitle(doc: Y.Doc, title: string): void {
  const clean = title.replace(/[\r\n]+/g, ' ').slice(0, TITLE_MAX_LENGTH);
  const meta = metaMap(doc);
  if (clean.trim() === '') {
    if (meta.has('title')) meta.delete('title');
    return;
  }
  if (meta.get('title') !== clean) meta.set('title', clean);
}

/** The title as an external store (for React's useSyncExternalStore). */
export class TitleStore {
  private title: string;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly doc: Y.Doc) {
    this.title = readTitle(doc);
    metaMap(doc).observe(this.refresh);
  }

  readonly getSnapshot = (): string => this.title;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(title: string): void {
    writeTitle(this.doc, title);
  }

  destroy(): void {
    metaMap(this.doc).unobserve(this.refresh);
    this.listeners.clear();
  }

  private readonly refresh = (): void => {
    const title = readTitle(this.doc);
    if (title === this.title) return;
    this.title = title;
    for (const listener of this.listeners) listener();
  };
}
