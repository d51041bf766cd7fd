/**
 * The loaded documents. Guarantees:
 * - Any number of simultaneous opens of an unloaded document cause exactly one load, and all
 *   of them wait for it, so nobody sees an empty document that is not empty.
 * - A document with no holders is flushed and unloaded after `idleUnloadMs`; a document being
 *   unloaded is fully flushed before it can be loaded again, so a reload sees every update.
 * - A failed load leaves nothing behind and is retried by the next open.
 */
import type { DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import type { PersisterOptions } from './doc-persister';
import type { RelayMetrics } from './metrics';
import { Room, type RoomContext } from './room';

export interface RoomsOptions extends PersisterOptions {
  readonly idleUnloadMs: number;
}

interface Entry {
  room: Room;
  holders: number;
  idleTimer: NodeJS.Timeout | null;
}

export class Rooms {
  private readonly loaded = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly context: RoomContext;

  constructor(
    private readonly store: DocStore,
    private readonly options: RoomsOptions,
    private readonly log: Logger,
    private readonly metrics: RelayMetrics,
  ) {
    this.context = { store, options, log, metrics };
  }

  /** Number of documents in memory. */
  get size(): number {
    return this.loaded.size;
  }

  /** The loaded room of `name`, if any, without holding it. */
  peek(name: string): Room | undefined {
    return this.loaded.get(name)?.room;
  }

  all(): Room[] {
    return [...this.loaded.values()].map((entry) => entry.room);
  }

  /** Loads (once) and holds a room. Every acquire must be matched by one `release`. */
  async acquire(name: string): Promise<Room> {
    const entry = this.loaded.get(name) ?? (await this.load(name));
    entry.holders++;
    if (entry.idleTimer) {
      clearTimeout(entry.idleTimer);
      entry.idleTimer = null;
    }
    return entry.room;
  }

  release(room: Room): void {
    const entry = this.loaded.get(room.name);
    if (entry?.room !== room) return;
    entry.holders--;
    if (entry.holders > 0) return;
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = null;
      if (entry.holders === 0) this.unload(entry);
    }, this.options.idleUnloadMs);
    entry.idleTimer.unref();
  }

  /** Flushes and unloads every room (for shutdown). Holders must already be gone. */
  async closeAll(): Promise<void> {
    for (const entry of this.loaded.values()) {
      if (entry.idleTimer) clearTimeout(entry.idleTimer);
      this.unload(entry);
    }
    await Promise.all([...this.loading.values()].map((p) => p.catch(() => undefined)));
    await Promise.all(this.unloading.values());
  }

  private load(name: string): Promise<Entry> {
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.loadOnce(name).finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async loadOnce(name: string): Promise<Entry> {
    await this.unloading.get(name);
    let state;
    try {
      state = await this.store.load(name);
    } catch (error) {
      this.metrics.storageErrors.inc({ operation: 'load' });
      throw error;
    }
    const room = new Room(name, state, this.context);
    const entry: Entry = { room, holders: 0, idleTimer: null };
    this.loaded.set(name, entry);
    this.metrics.loadedDocuments.set(this.loaded.size);
    this.log.debug({ doc: name }, 'document loaded');
    return entry;
  }

  private unload(entry: Entry): void {
    const { room } = entry;
    if (this.loaded.get(room.name) !== entry) return;
    this.loaded.delete(room.name);
    this.metrics.loadedDocuments.set(this.loaded.size);
    const done = room.persister
      .flush()
      .then(() => {
        room.destroy();
        this.log.debug({ doc: room.name }, 'document unloaded');
      })
      .finally(() => this.unloading.delete(room.name));
    this.unloading.set(room.name, done);
  }
}
