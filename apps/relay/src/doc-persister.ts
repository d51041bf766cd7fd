/**
 * Writes one document's updates to the store, group-committed, and reports what is durable.
 *
 * Updates that arrive while a write is in flight wait and go into the next single batch, so
 * a busy document costs one storage write per round trip to disk, not one per keystroke.
 * A document is also written at most once per tick of the relay's commit clock
 * (`commitIntervalMs`, commit-clock.ts): an edit after a quiet moment is written at once, while
 * a document edited continuously is written (and acknowledged) once a tick, however fast its
 * disk answers, at the same moment as every other busy document, so that their writes share
 * one storage write.
 * The state vector of the live document is taken when a batch starts: every update applied
 * before that moment is in this batch or an earlier one, so once the batch is written that
 * vector is exactly what is stored — and only then is it reported as saved.
 *
 * A failed write is never acknowledged: its updates go back to the head of the queue and the
 * write is retried with backoff until storage recovers (or the relay shuts down). So that an
 * outage that does not end cannot grow the relay without limit, `hasRoomFor` says no once a
 * document holds `maxPendingBytes` not yet stored; connections then refuse the writer's update
 * (1013) rather than apply it, and the writer keeps it in its own copy.
 */
import type { DocInfo, DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { commitClock, type CommitClock } from './commit-clock';

export interface PersisterOptions {
  readonly compactUpdates: number;
  readonly compactBytes: number;
  /**
   * Length of a tick of the commit clock: one document starts at most one write batch per
   * tick. Default 0: no clock, a batch starts as soon as the one before is written.
   */
  readonly commitIntervalMs?: number;
  /** First retry delay after a storage error; doubles up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /**
   * Bytes of updates one document may hold that are not yet stored (queued or being written)
   * before `hasRoomFor` says no, so an outage that does not end cannot grow the relay without
   * limit. Default 64 MiB.
   */
  readonly maxPendingBytes?: number;
  /**
   * TEST ONLY, unsafe: acknowledge each update as soon as it is queued, before any COMMIT
   * (`WEFT_UNSAFE_ACK_BEFORE_COMMIT=1`), the negative control that the cluster set test must
   * catch. Never set in production.
   */
  readonly unsafeAckBeforeCommit?: boolean;
}

const DEFAULT_MAX_PENDING_BYTES = 64 * 1024 * 1024;

export interface PersisterEvents {
  /**
   * The stored state advanced to this encoded state vector; `authors` are the origins given
   * with the batch's updates (the connections whose edits just became durable).
   */
  onSaved(encodedStateVector: Uint8Array, authors: ReadonlySet<unknown>): void;
  /** Every update queued up to sequence `storedSequence` (see `queued`) is now stored. */
  onStored(storedSequence: number): void;
  /** The batch `updates` is stored; `info` is what the store answered (its sequence number). */
  onCommitted?(updates: readonly Uint8Array[], info: DocInfo): void;
  /** A batch of `updates` updates was written in `seconds`. */
  onBatchWritten(updates: number, seconds: number): void;
  /** A write or compaction failed; a failed write is retried. */
  onStorageError(error: unknown, operation: 'append' | 'compact'): void;
}

export class DocPersister {
  private pending: Uint8Array[] = [];
  /** Origins of the pending updates. */
  private pendingAuthors = new Set<unknown>();
  private running: Promise<void> | null = null;
  private savedVector: Uint8Array;
  private stopped = false;
  /** Ends the current pause (a retry's or the wait for a tick) early, when stopping. */
  private wakeEarly: (() => void) | null = null;
  private readonly clock: CommitClock | null;
  /** The commit clock's tick in which the last batch started. */
  private lastBatchTick = -Infinity;
  /** Updates queued since the persister started; the n-th has sequence n. */
  private queuedSequence = 0;
  /** Every update with a sequence up to this one is durably stored. */
  private storedSequence = 0;
  /** Bytes of the updates queued or being written, not yet stored. */
  private unstoredBytes = 0;
  /** The last write failed and is being retried. */
  private failing = false;
  /** When the storage call in flight started (performance.now()), or null. */
  private callStartedAt: number | null = null;

  constructor(
    private readonly name: string,
    private readonly doc: Y.Doc,
    private readonly store: DocStore,
    private readonly options: PersisterOptions,
    private readonly events: PersisterEvents,
    private readonly log: Logger,
  ) {
    // Whatever the document holds when the persister starts was loaded from the store.
    this.savedVector = Y.encodeStateVector(doc);
    const interval = options.commitIntervalMs ?? 0;
    this.clock = interval > 0 ? commitClock(interval) : null;
  }

  /** The encoded state vector of everything durably stored. */
  get saved(): Uint8Array {
    return this.savedVector;
  }

  /**
   * The sequence of the latest queued update. Once `stored` reaches the value read after an
   * update was applied, that update — and everything the document held then that was not yet
   * written — is durable.
   */
  get queued(): number {
    return this.queuedSequence;
  }

  /** Every update with a sequence ≤ this is durably stored. */
  get stored(): number {
    return this.storedSequence;
  }

  /** Bytes of updates not yet stored (queued, or in a write not yet finished). */
  get pendingBytes(): number {
    return this.unstoredBytes;
  }

  /**
   * True when an update of `bytes` may be applied and queued: the unstored bytes stay within
   * `maxPendingBytes`. With nothing unstored any update fits, so one large update cannot be
   * refused forever.
   */
  hasRoomFor(bytes: number): boolean {
    const limit = this.options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    return this.unstoredBytes === 0 || this.unstoredBytes + bytes <= limit;
  }

  /** True from a failed write until a write succeeds again. */
  get writesFailing(): boolean {
    return this.failing;
  }

  /** Milliseconds the storage call in flight has been waiting for the store; 0 when none is. */
  get storageWaitMs(): number {
    return this.callStartedAt === null ? 0 : performance.now() - this.callStartedAt;
  }

  /** True while some update is not yet durably stored. */
  get dirty(): boolean {
    return this.running !== null || this.pending.length > 0;
  }

  /** Queues an update that has been applied to the live document, with where it came from. */
  enqueue(update: Uint8Array, author: unknown = null): void {
    this.pending.push(update);
    this.queuedSequence++;
    this.unstoredBytes += update.byteLength;
    this.pendingAuthors.add(author);
    this.running ??= this.drain();
    if (this.options.unsafeAckBeforeCommit === true) {
      // The negative control: "saved" the moment an edit arrives, COMMIT or not.
      this.events.onSaved(Y.encodeStateVector(this.doc), new Set([author]));
      this.events.onStored(this.queuedSequence);
    }
  }

  /**
   * Updates that are already stored (another relay committed them: cluster mode) were applied
   * to the document. With nothing of this relay's own waiting, everything the document holds
   * is stored, and that is reported as saved; otherwise the next batch's vector covers them.
   */
  storedElsewhere(): void {
    if (this.dirty) return;
    this.savedVector = Y.encodeStateVector(this.doc);
    this.events.onSaved(this.savedVector, new Set());
  }

  /** Resolves once every update queued so far is stored (retrying through storage errors). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops retrying; pending updates that could not be written stay unacknowledged. */
  stop(): void {
    this.stopped = true;
    this.wakeEarly?.();
  }

  private async drain(): Promise<void> {
    let retryMs = this.options.retryMs ?? 100;
    try {
      while (this.pending.length > 0 && !this.stopped) {
        if (this.clock) {
          const tick = this.clock.current();
          if (tick > this.lastBatchTick) {
            this.lastBatchTick = tick;
          } else {
            // Already written this tick: wait for the next, with every other busy document.
            const next = this.lastBatchTick + 1;
            const clock = this.clock;
            const woken = await this.pause((wake) => clock.onTick(next, wake));
            if (!woken) continue; // stopped while waiting: the loop condition sees it
            this.lastBatchTick = next;
          }
        }
        const batch = this.pending;
        const authors = this.pendingAuthors;
        this.pending = [];
        this.pendingAuthors = new Set();
        const vector = Y.encodeStateVector(this.doc);
        // Pending updates are exactly those after storedSequence, so this batch ends here.
        const batchEnd = this.queuedSequence;
        const started = performance.now();
        const batchBytes = batch.reduce((sum, update) => sum + update.byteLength, 0);
        this.callStartedAt = started;
        const early = this.options.unsafeAckBeforeCommit === true;
        try {
          const info = await this.store.append(this.name, batch, titleOption(this.doc));
          this.callStartedAt = null;
          this.unstoredBytes -= batchBytes;
          this.failing = false;
          this.events.onBatchWritten(batch.length, (performance.now() - started) / 1000);
          // With nothing queued meanwhile, the whole document is stored: also what other
          // relays committed while this batch was written (cluster mode).
          this.savedVector = this.pending.length === 0 ? Y.encodeStateVector(this.doc) : vector;
          this.storedSequence = batchEnd;
          retryMs = this.options.retryMs ?? 100;
          if (!early) {
            this.events.onSaved(this.savedVector, authors);
            this.events.onStored(batchEnd);
          }
          this.events.onCommitted?.(batch, info);
          if (
            info.updates >= this.options.compactUpdates ||
            info.bytes >= this.options.compactBytes
          ) {
            await this.compact();
          }
        } catch (error) {
          this.callStartedAt = null;
          this.failing = true;
          this.pending = batch.concat(this.pending);
          for (const author of authors) this.pendingAuthors.add(author);
          this.events.onStorageError(error, 'append');
          this.log.error({ err: error, doc: this.name, retryMs }, 'storage write failed');
          await this.pause((wake) => {
            const timer = setTimeout(wake, retryMs);
            return () => clearTimeout(timer);
          });
          retryMs = Math.min(retryMs * 2, this.options.maxRetryMs ?? 5000);
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async compact(): Promise<void> {
    try {
      // The live document holds every stored update (each is applied before it is queued), so
      // its state replaces the log; merging the log instead cost a long pause per compaction.
      // Updates still pending are in the snapshot too: stored early, and harmless to append
      // again, since applying a Yjs update twice changes nothing.
      this.callStartedAt = performance.now();
      const info = await this.store.compact(this.name, Y.encodeStateAsUpdate(this.doc));
      this.log.debug({ doc: this.name, bytes: info?.bytes }, 'compacted');
    } catch (error) {
      // The uncompacted log is still complete and loadable; the next batch tries again.
      this.events.onStorageError(error, 'compact');
      this.log.error({ err: error, doc: this.name }, 'compaction failed');
    } finally {
      this.callStartedAt = null;
    }
  }

  /**
   * Waits until `start`'s alarm calls its waker, or `stop()` ends the wait early. `start`
   * returns how to withdraw the alarm. Resolves true when the alarm ended it.
   */
  private pause(start: (wake: () => void) => () => void): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const withdraw = start(() => {
        resolve(true);
      });
      this.wakeEarly = () => {
        withdraw();
        resolve(false);
      };
    }).finally(() => {
      this.wakeEarly = null;
    });
  }
}

function titleOption(doc: Y.Doc): { title: string } | undefined {
  const title = doc.getMap('meta').get('title');
  return typeof title === 'string' ? { title } : undefined;
}
