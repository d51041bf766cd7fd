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
 * written just after the frame that shows it (creating IndexedDB transactions inside the
 * keystroke's task cost about 3.7 ms a key), together with the relay's updates still
 * waiting, merged into one update, since the edit may build on them (stored alone, after a
 * reload it would wait invisibly for them). Everything waiting is written at once when the
 * page is hidden or closed. If the tab dies with relay updates waiting, the next load gets
 * them from the relay; the status says "storing" until a local edit is on disk.
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
  /** When a local edit is written; default just after the next frame (`afterNextFrame`). */
  readonly scheduleLocalWrite?: (write: () => void) => void;
}

/** Longest wait for a frame: a hidden page gets none. */
const FRAME_FALLBACK_MS = 50;

/**
 * Calls `callback` once, just after the next frame is painted (a timeout queued from the
 * frame's callback), or after 50 ms if no frame comes first.
 */
export function afterNextFrame(callback: () => void): void {
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    // The other way of getting here is no longer needed: one task fewer per keystroke.
    clearTimeout(fallback);
    if (frame !== null) cancelAnimationFrame(frame);
    callback();
  };
  const frame =
    typeof requestAnimationFrame === 'function'
      ? requestAnimationFrame(() => setTimeout(once, 0))
      : null;
  const fallback = setTimeout(once, FRAME_FALLBACK_MS);
}

const UPDATES_STORE = 'updates';

export class LocalCopy {
  /** Resolves once the stored copy is merged into the doc, or loading failed or timed out. */
  readonly ready: Promise<void>;
  private state: LocalCopyState = 'loading';
  private readonly persistence: IndexeddbPersistence;
  private readonly listeners = new Set<() => void>();
  /** Bumped on every local update. */
  private generation = 0;
  /** The generation handed to IndexedDB; a flush that started at g covers up to g. */
  private writtenGeneration = 0;
  private flushing = false;
  private destroyed = false;
  private readonly isRemote: (origin: unknown) => boolean;
  private readonly remoteDelayMs: number;
  private readonly scheduleLocalWrite: (write: () => void) => void;
  /** Updates not yet written (the relay's and local ones), oldest first. */
  private pending: Uint8Array[] = [];
  private remoteTimer: ReturnType<typeof setTimeout> | null = null;
  private localWriteScheduled = false;

  constructor(
    private readonly doc: Y.Doc,
    name: string,
    options: LocalCopyOptions = {},
  ) {
    this.isRemote = options.isRemote ?? (() => false);
    this.remoteDelayMs = options.remoteDelayMs ?? 1000;
    this.scheduleLocalWrite = options.scheduleLocalWrite ?? afterNextFrame;
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
    // A page being hidden may be a page about to be closed: write what waits now.
    if (typeof addEventListener === 'function') addEventListener('pagehide', this.writePending);
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this.writeWhenHidden);
    }
  }

  readonly getSnapshot = (): LocalCopyState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Closes the database; the stored copy stays for next time. */
  destroy(): void {
    if (this.destroyed) return;
    this.writePending();
    this.destroyed = true;
    if (typeof removeEventListener === 'function') {
      removeEventListener('pagehide', this.writePending);
    }
    if (typeof document !== 'undefined') {
      document.removeEventListener('visibilitychange', this.writeWhenHidden);
    }
    this.doc.off('update', this.handleUpdate);
    this.listeners.clear();
    void this.persistence.destroy();
  }

  private readonly handleUpdate = (update: Uint8Array, origin: unknown): void => {
    // Updates read from IndexedDB are already there.
    if (origin === this.persistence) return;
    this.pending.push(update);
    if (this.isRemote(origin)) {
      if (!this.localWriteScheduled) {
        this.remoteTimer ??= setTimeout(this.writePending, this.remoteDelayMs);
      }
      return;
    }
    // The status is about this device's own edits.
    this.generation++;
    if (this.state === 'stored') this.setState('storing');
    if (this.localWriteScheduled) return;
    this.localWriteScheduled = true;
    this.scheduleLocalWrite(this.writePending);
  };

  private readonly writeWhenHidden = (): void => {
    if (document.visibilityState === 'hidden') this.writePending();
  };

  /**
   * Writes every waiting update, merged, in one transaction (so a local edit is never on
   * disk without the relay's updates it builds on), then learns when it committed.
   */
  private readonly writePending = (): void => {
    if (this.destroyed) return;
    this.localWriteScheduled = false;
    if (this.remoteTimer !== null) clearTimeout(this.remoteTimer);
    this.remoteTimer = null;
    const pending = this.pending;
    this.pending = [];
    const [only] = pending;
    if (only !== undefined) {
      // Before the database is open this writes nothing, as for y-indexeddb's own writes: the
      // whole document, these updates included, is stored once it opens.
      this.persistence._storeUpdate(pending.length === 1 ? only : Y.mergeUpdates(pending), null);
    }
    if (this.writtenGeneration !== this.generation) {
      this.writtenGeneration = this.generation;
      this.flush();
    }
  };

  private flush(): void {
    const db = this.persistence.db;
    // Before the database is open there is nothing to wait for: y-indexeddb stores the whole
    // doc (including these edits) when it opens, and `whenSynced` calls flush again.
    if (db === null || this.flushing || this.destroyed || !this.persistence.synced) return;
    this.flushing = true;
    const covered = this.writtenGeneration;
    const done = (ok: boolean) => {
      this.flushing = false;
      if (this.destroyed) return;
      if (!ok) {
        this.setState('unavailable');
      } else if (covered === this.generation) {
        this.setState('stored');
      } else if (covered !== this.writtenGeneration) {
        this.flush();
      }
      // Otherwise a local write is scheduled, and it flushes again.
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
