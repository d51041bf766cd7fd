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
 *
 * Beside the log, a store keeps a document's history (checkpoints: full states taken by the
 * relay at known moments, see checkpoint.ts) and its authorship table (which user each Yjs
 * client id belongs to). Both are plain records: nothing about the live log changes to make
 * history possible, and `delete` removes them with the document.
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
  /**
   * Removes a document: its log, its checkpoints and its authorship table. Resolves true if
   * something was removed.
   */
  delete(name: string): Promise<boolean>;

  /**
   * Moves `name` to the trash (`at`: epoch ms it was trashed) or out of it (null). The log,
   * history and authors stay untouched, so a restore brings everything back; `info` and
   * `list` report `trashedAt`, and appends keep it. Resolves false for a document not stored.
   */
  setTrashed(name: string, at: number | null): Promise<boolean>;

  /**
   * Tombstones of documents deleted for good, so that the relay can tell a name that was
   * deleted (a browser's offline copy must not recreate it silently) from one never used.
   * `setPurged` records that `name` was deleted for good at `at` (epoch ms), or forgets it
   * (null); `purgedAt` answers that time, or null; `forgetPurgedBefore` forgets every
   * tombstone from `cutoff` or earlier and resolves how many. A tombstone is independent of
   * the document: `delete` and `append` leave it alone. Optional: a store without them
   * cannot tell a purged name from a new one.
   */
  setPurged?(name: string, at: number | null): Promise<void>;
  purgedAt?(name: string): Promise<number | null>;
  forgetPurgedBefore?(cutoff: number): Promise<number>;

  /** Stores a checkpoint of `name`, atomically, and answers it with its new id. */
  addCheckpoint(name: string, checkpoint: NewCheckpoint): Promise<CheckpointInfo>;
  /**
   * Stores a checkpoint of `name` unless `covered` finds that the newest one stored (null:
   * none) already covers it; null when nothing was stored. The check and the store are one
   * atomic step, also between relays sharing the store: of two offering the same state at
   * once, the second sees the first's checkpoint.
   */
  addCheckpointUnless(
    name: string,
    checkpoint: NewCheckpoint,
    covered: CheckpointCovered,
  ): Promise<CheckpointInfo | null>;
  /** The checkpoints of `name`, newest first, without their states (cheap for long lists). */
  listCheckpoints(name: string): Promise<CheckpointInfo[]>;
  /** One checkpoint with its state, or null if `name` has none with this id. */
  loadCheckpoint(name: string, id: string): Promise<Checkpoint | null>;
  /** Removes these checkpoints of `name` (unknown ids are skipped); resolves how many went. */
  deleteCheckpoints(name: string, ids: readonly string[]): Promise<number>;

  /** Adds or replaces entries of `name`'s authorship table (Yjs client id → user). */
  saveAuthors(name: string, authors: ReadonlyMap<number, Author>): Promise<void>;
  /** `name`'s whole authorship table; empty when nothing is stored. */
  loadAuthors(name: string): Promise<Map<number, Author>>;
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
  /** Epoch ms it was moved to the trash; absent when it is not in the trash. */
  readonly trashedAt?: number;
}

/** A user, as the relay knows them: the token's `sub` and `name`, or a local-mode identity. */
export interface Author {
  readonly id: string;
  readonly name: string;
  /** `#rrggbb`, when the user chose one (local mode); otherwise derived from `id`. */
  readonly color?: string;
}

/** Why a checkpoint was taken. */
export type CheckpointReason =
  /** `--checkpoint-interval-ms` passed while the text changed. */
  | 'interval'
  /** The last user left the document. */
  | 'idle'
  /** Someone named the current state. */
  | 'named'
  /** The state just before a restore, so the restore can itself be undone. */
  | 'before-restore'
  /** The state a restore produced. */
  | 'restore';

/** What the caller gives to `addCheckpoint`; the store assigns the id. */
export interface NewCheckpoint {
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  readonly reason: CheckpointReason;
  /** A user-given name ("v1"); named checkpoints are never thinned away. */
  readonly name?: string;
  /** For `restore` and `before-restore`: the id of the version being restored. */
  readonly restoredFrom?: string;
  /** The users who edited since the previous checkpoint (for `restore`: who restored). */
  readonly authors: readonly Author[];
  /** Length of the document's text (`content`), in UTF-16 code units as Y.Text counts. */
  readonly chars: number;
  /** The document's title then, if it had one. */
  readonly title?: string;
  /**
   * A digest of the text and title, so that a relay can tell that a checkpoint another relay
   * took holds the content it was about to store. Absent in checkpoints from before it.
   */
  readonly contentDigest?: string;
  /** The whole document as one Yjs update (`Y.encodeStateAsUpdate`). */
  readonly state: Uint8Array;
}

/** Whether the newest stored checkpoint (null: none) makes a new one needless. */
export type CheckpointCovered = (newest: CheckpointInfo | null) => boolean;

/** A stored checkpoint without its state. */
export interface CheckpointInfo extends Omit<NewCheckpoint, 'state'> {
  /** Unique among `name`'s checkpoints; ids of later checkpoints sort later numerically. */
  readonly id: string;
  /** Bytes of the state. */
  readonly bytes: number;
}

export interface Checkpoint extends CheckpointInfo {
  readonly state: Uint8Array;
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
