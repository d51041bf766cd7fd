/**
 * The copy of a document kept in this browser's IndexedDB (through y-indexeddb), and whether
 * every local edit has actually reached it.
 *
 * y-indexeddb writes each update in its own IndexedDB transaction but never says when that
 * transaction committed. An edit is only "kept on this device" once it has, so this class
 * asks: IndexedDB runs a read-only transaction only after every earlier read-write
 * transaction on the same store has finished, so when a read-only transaction opened after
 * an update completes, that update is on disk.
 *
 * Updates that came from the relay are written in batches rather than one transaction each:
 * they are already stored on the relay, and a page that mostly watches others type spent
 * about as long in those IndexedDB transactions as in drawing the text. A local edit is
 * written at once, and the relay's updates still waiting are written before it, since the
 * edit may build on them (stored alone, after a reload it would wait invisibly for them).
 * If the tab closes with some waiting, the next load gets them from the relay.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';

/**
 * - `loading`: reading the stored copy.
 * - `stored`: every edit so far is in IndexedDB.
 * - `storing`: some edits are still being written.
 * - `unavailable`: IndexedDB cannot be used here (disabled, private mode, quota); edits live
 *   only in this tab until the relay has them.
 */
export type LocalCopyState = 'loading' | 'stored' | 'storing' | 'unavailable';

export interface LocalCopyOptions {
  /**
   * How long `ready` waits for the stored copy before giving up and letting the document
   * open anyway (the copy still merges in when it arrives). Default 5000 ms.
   */
  readonly loadTimeoutMs?: number;
  /** True for the transaction origin of updates received from the relay (the provider). */
  readonly isRemote?: (origin: unknown) => boolean;
  /** Longest time an update from the relay waits to be written. Default 1000 ms. */
  readonly remoteDelayMs?: number;
}

const UPDATES_STORE = 'updates';

export class LocalCopy {
  /** Resolves once the stored copy is merged into the doc, or loading failed or timed out. */
  readonly ready: Promise<void>;
  private state: LocalCopyState = 'loading';
  private readonly persistence: IndexeddbPersistence;
  private readonly listeners = new Set<() => void>();
  /** Bumped on every local update; a flush that started at generation g covers up to g. */
  private generation = 0;
  private flushing = false;
  private destroyed = false;
  private readonly isRemote: (origin: unknown) => boolean;
  private readonly remoteDelayMs: number;
  /** Updates from the relay not yet written, oldest first. */
  private remotePending: Uint8Array[] = [];
  private remoteTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly doc: Y.Doc,
    name: string,
    options: LocalCopyOptions = {},
  ) {
    this.isRemote = options.isRemote ?? (() => false);
    this.remoteDelayMs = options.remoteDelayMs ?? 1000;
    this.persistence = new IndexeddbPersistence(name, doc);
    // y-indexeddb writes each update as it happens; handleUpdate decides when instead.
    doc.off('update', this.persistence._storeUpdate);
    doc.on('update', this.handleUpdate);
    const loaded = this.persistence.whenSynced.then(
      () => {
        // The load transaction that also stored edits made meanwhile may not have committed
        // yet; flush() says when it has.
        this.setState('storing');
        this.flush();
      },
      () => undefined,
    );
    // Settles only if the database cannot be opened (opening it is not the same as loaded).
    const failed = new Promise<void>((resolve) => {
      this.persistence._db.catch(() => {
        this.setState('unavailable');
        resolve();
      });
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.loadTimeoutMs ?? 5000);
    });
    this.ready = Promise.race([loaded, failed, timeout]).finally(() => clearTimeout(timer));
  }

  readonly getSnapshot = (): LocalCopyState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Closes the database; the stored copy stays for next time. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.writeRemote();
    this.doc.off('update', this.handleUpdate);
    this.listeners.clear();
    void this.persistence.destroy();
  }

  private readonly handleUpdate = (update: Uint8Array, origin: unknown): void => {
    // Updates read from IndexedDB are already there.
    if (origin === this.persistence) return;
    if (this.isRemote(origin)) {
      this.remotePending.push(update);
      this.remoteTimer ??= setTimeout(this.writeRemote, this.remoteDelayMs);
      return;
    }
    // Transactions on one store commit in the order they were created: the relay's updates
    // this edit may build on are on disk before it.
    this.writeRemote();
    this.persistence._storeUpdate(update, origin);
    // The status is about this device's own edits.
    this.generation++;
    if (this.state === 'stored') this.setState('storing');
    this.flush();
  };

  /** Writes the waiting updates from the relay, merged, in one transaction. */
  private readonly writeRemote = (): void => {
    if (this.remoteTimer !== null) clearTimeout(this.remoteTimer);
    this.remoteTimer = null;
    const pending = this.remotePending;
    this.remotePending = [];
    const [only] = pending;
    if (only === undefined) return;
    // Before the database is open this writes nothing, as for y-indexeddb's own writes: the
    // whole document, these updates included, is stored once it opens.
    this.persistence._storeUpdate(pending.length === 1 ? only : Y.mergeUpdates(pending), null);
  };

  private flush(): void {
    const db = this.persistence.db;
    // Before the database is open there is nothing to wait for: y-indexeddb stores the whole
    // doc (including these edits) when it opens, and `whenSynced` calls flush again.
    if (db === null || this.flushing || this.destroyed || !this.persistence.synced) return;
    this.flushing = true;
    const covered = this.generation;
    const done = (ok: boolean) => {
      this.flushing = false;
      if (this.destroyed) return;
      if (!ok) {
        this.setState('unavailable');
      } else if (covered === this.generation) {
        this.setState('stored');
      } else {
        this.flush();
      }
    };
    try {
      const transaction = db.transaction([UPDATES_STORE], 'readonly');
      transaction.objectStore(UPDATES_STORE).count();
      transaction.oncomplete = () => done(true);
      transaction.onerror = () => done(false);
      transaction.onabort = () => done(false);
    } catch {
      // The database was closed or deleted underneath us.
      done(false);
    }
  }

  private setState(state: LocalCopyState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
