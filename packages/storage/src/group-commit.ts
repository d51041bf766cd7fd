/**
 * Writes the operations of many documents' appends as one LevelDB write.
 *
 * Each document's appends are already batched by the relay, but a relay with fifty busy
 * documents still asked LevelDB for a thousand writes a second, each a trip through libuv's
 * thread pool whose thread then competes with the event loop for the CPU. Here the writes
 * requested during one event-loop turn, and those requested while a write is in flight, go
 * to disk together. Every caller's operations stay inside one atomic batch, and each caller
 * hears about its write only once the combined batch is stored (or fails: then every caller
 * in it is told).
 */
export type BatchOperation =
  | { readonly type: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly type: 'del'; readonly key: string };

interface Waiter {
  readonly operations: readonly BatchOperation[];
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit {
  private queued: Waiter[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly write: (operations: BatchOperation[]) => Promise<void>) {}

  /** Resolves once `operations` are stored, atomically, with whoever shared the write. */
  commit(operations: readonly BatchOperation[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ operations, resolve, reject });
      this.running ??= this.run();
    });
  }

  private async run(): Promise<void> {
    // Let the rest of this turn's appends join the first write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queued.length > 0) {
        const group = this.queued;
        this.queued = [];
        try {
          await this.write(group.flatMap((waiter) => waiter.operations));
          for (const waiter of group) waiter.resolve();
        } catch (error) {
          for (const waiter of group) waiter.reject(error);
        }
      }
    } finally {
      this.running = null;
    }
  }
}
