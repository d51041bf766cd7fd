/**
 * The contract every Weft document store keeps. A store is an append-only log of Yjs updates
 * per document, plus a little metadata. The relay decides *when* to append and compact; the
 * store guarantees *what* each call means:
 *
 * - `append` writes all its updates in one atomic batch and resolves only once that batch is
 *   stored according to the store's durability setting. A rejected append stored nothing.
 * - `load` returns one Yjs update holding the document that every update ever appended builds
 *   (or null for a document never written); deleted content may be garbage-collected.
 *   Compaction never changes the document `load` returns.
 * - Calls for one document take effect in the order they were made.
 */
export interface DocStore {
  /** Everything stored for `name` as one Yjs update, or null if nothing is stored. */
  load(name: string): Promise<Uint8Array | null>;
  /** Appends `updates` atomically; resolves once durable. `title` updates the listed title. */
  append(name: string, updates: readonly Uint8Array[], options?: AppendOptions): Promise<DocInfo>;
  /**
   * Replaces the document's log with one update, atomically: `snapshot` when given, else the
   * log merged. A snapshot must contain every update in the log — the caller's live copy of
   * the document does, and encoding it is far cheaper than merging a long log. Null if not
   * stored.
   */
  compact(name: string, snapshot?: Uint8Array): Promise<DocInfo | null>;
  /** Size and age of one document, or null if nothing is stored. */
  info(name: string): Promise<DocInfo | null>;
  /** Every stored document. */
  list(): Promise<DocInfo[]>;
  /** Removes a document and its whole log. Resolves true if something was removed. */
  delete(name: string): Promise<boolean>;
  /** Finishes pending calls and releases the store; later calls reject. */
  close(): Promise<void>;
}

export interface AppendOptions {
  /** The document's current title (from its `meta` map), kept for document lists. */
  readonly title?: string;
}

export interface DocInfo {
  readonly name: string;
  /** The last title passed to `append`, if any. */
  readonly title?: string;
  /** Number of updates in the log (1 right after compaction). */
  readonly updates: number;
  /** Bytes of update data in the log. */
  readonly bytes: number;
  /** Milliseconds since the epoch of the last append. */
  readonly modified: number;
}

/** Thrown for calls on a store that has been closed. */
export class StoreClosedError extends Error {
  constructor() {
    super('document store is closed');
    this.name = 'StoreClosedError';
  }
}

/**
 * Document names the stores accept: anything without NUL (the LevelDB key separator).
 * The relay applies the stricter public naming rule before a name gets here.
 */
export function assertStorableName(name: string): void {
  if (name.length === 0 || name.includes('\u0000')) {
    throw new Error(`invalid document name for storage: ${JSON.stringify(name)}`);
  }
}
