/**
 * The calls of a store that runs them one document at a time (LevelDB, PostgreSQL): each
 * document's calls take effect in the order they were made, and none is taken once the store
 * is closing.
 */
import { StoreClosedError } from './doc-store';
import { KeyedSerialQueue } from './serial-queue';

export class StoreCalls {
  private readonly queue = new KeyedSerialQueue();
  private closed = false;

  /** Runs `task` after the earlier calls for `name`; rejects with StoreClosedError once closing. */
  serial<T>(name: string, task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return this.queue.run(name, task);
  }

  /** Throws StoreClosedError once the store is closing. */
  assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  /**
   * Refuses further calls and resolves once the queued ones settled: true then, false at once
   * when closing had already begun (only the first close releases the store's resources).
   */
  async close(): Promise<boolean> {
    if (this.closed) return false;
    this.closed = true;
    await this.queue.drain();
    return true;
  }
}
