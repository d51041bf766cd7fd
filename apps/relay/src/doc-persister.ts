/**
 * Writes one document's updates to the store, group-committed, and reports what is durable.
 *
 * Updates that arrive while a write is in flight wait and go into the next single batch, so
 * a busy document costs one storage write per round trip to disk, not one per keystroke.
 * The state vector of the live document is taken when a batch starts: every update applied
 * before that moment is in this batch or an earlier one, so once the batch is written that
 * vector is exactly what is stored — and only then is it reported as saved.
 *
 * A failed write is never acknowledged: its updates go back to the head of the queue and the
 * write is retried with backoff until storage recovers (or the relay shuts down).
 */
import type { DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import * as Y from 'yjs';

export interface PersisterOptions {
  readonly compactUpdates: number;
  readonly compactBytes: number;
  /** First retry delay after a storage error; doubles up to `maxRetryMs`. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
}

export interface PersisterEvents {
  /** The stored state advanced to this encoded state vector. */
  onSaved(encodedStateVector: Uint8Array): void;
  /** A batch of `updates` updates was written in `seconds`. */
  onBatchWritten(updates: number, seconds: number): void;
  /** A write or compaction failed; a failed write is retried. */
  onStorageError(error: unknown, operation: 'append' | 'compact'): void;
}

export class DocPersister {
  private pending: Uint8Array[] = [];
  private running: Promise<void> | null = null;
  private savedVector: Uint8Array;
  private stopped = false;
  private wakeRetry: (() => void) | null = null;

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
  }

  /** The encoded state vector of everything durably stored. */
  get saved(): Uint8Array {
    return this.savedVector;
  }

  /** True while some update is not yet durably stored. */
  get dirty(): boolean {
    return this.running !== null || this.pending.length > 0;
  }

  /** Queues an update that has been applied to the live document. */
  enqueue(update: Uint8Array): void {
    this.pending.push(update);
    this.running ??= this.drain();
  }

  /** Resolves once every update queued so far is stored (retrying through storage errors). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops retrying; pending updates that could not be written stay unacknowledged. */
  stop(): void {
    this.stopped = true;
    this.wakeRetry?.();
  }

  private async drain(): Promise<void> {
    let retryMs = this.options.retryMs ?? 100;
    try {
      while (this.pending.length > 0 && !this.stopped) {
        const batch = this.pending;
        this.pending = [];
        const vector = Y.encodeStateVector(this.doc);
        const started = performance.now();
        try {
          const info = await this.store.append(this.name, batch, titleOption(this.doc));
          this.events.onBatchWritten(batch.length, (performance.now() - started) / 1000);
          this.savedVector = vector;
          retryMs = this.options.retryMs ?? 100;
          this.events.onSaved(vector);
          if (
            info.updates >= this.options.compactUpdates ||
            info.bytes >= this.options.compactBytes
          ) {
            await this.compact();
          }
        } catch (error) {
          this.pending = batch.concat(this.pending);
          this.events.onStorageError(error, 'append');
          this.log.error({ err: error, doc: this.name, retryMs }, 'storage write failed');
          await this.pause(retryMs);
          retryMs = Math.min(retryMs * 2, this.options.maxRetryMs ?? 5000);
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async compact(): Promise<void> {
    try {
      const info = await this.store.compact(this.name);
      this.log.debug({ doc: this.name, bytes: info?.bytes }, 'compacted');
    } catch (error) {
      // The uncompacted log is still complete and loadable; the next batch tries again.
      this.events.onStorageError(error, 'compact');
      this.log.error({ err: error, doc: this.name }, 'compaction failed');
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeRetry = done;
    }).finally(() => {
      this.wakeRetry = null;
    });
  }
}

function titleOption(doc: Y.Doc): { title: string } | undefined {
  const title = doc.getMap('meta').get('title');
  return typeof title === 'string' ? { title } : undefined;
}
