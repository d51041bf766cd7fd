/**
 * The loaded documents. Guarantees:
 * - Any number of simultaneous opens of an unloaded document cause exactly one load, and all
 *   of them wait for it, so nobody sees an empty document that is not empty.
 * - A document with no holders is flushed and unloaded after `idleUnloadMs`. Opening a
 *   document that is still being unloaded takes its live room back (the unload is called off)
 *   instead of waiting for a flush that a storage outage may never let finish; the room still
 *   holds every update, stored or not.
 * - A failed load leaves nothing behind and is retried by the next open. A load that takes
 *   longer than `loadTimeoutMs` fails its waiters with LoadTimeoutError; if it finishes
 *   later, its room is idle like any other and is unloaded after `idleUnloadMs`.
 */
import type { DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import type { RelayCluster } from './cluster/cluster';
import type { PersisterOptions } from './doc-persister';
import type { CheckpointOptions } from './history/checkpointer';
import type { HookRunner } from './hooks';
import type { RelayMetrics } from './metrics';
import { Room, type RoomContext } from './room';

export interface RoomsOptions extends PersisterOptions, CheckpointOptions {
  readonly idleUnloadMs: number;
  /** How long an open waits for a load before failing with LoadTimeoutError. Default 10 s. */
  readonly loadTimeoutMs?: number;
  /** Cluster mode: told of every room loaded and destroyed (cluster/cluster.ts). */
  readonly cluster?: RelayCluster | undefined;
}

/** The store did not answer a load within `loadTimeoutMs`. */
export class LoadTimeoutError extends Error {
  constructor(name: string, timeoutMs: number) {
    super(`loading ${JSON.stringify(name)} took longer than ${timeoutMs} ms`);
    this.name = 'LoadTimeoutError';
  }
}

interface Entry {
  room: Room;
  holders: number;
  idleTimer: NodeJS.Timeout | null;
}

/** A room being flushed before it is destroyed; `entry` is taken back if it is reopened. */
interface Unloading {
  readonly entry: Entry;
  readonly done: Promise<void>;
}

export class Rooms {
  private readonly loaded = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly unloading = new Map<string, Unloading>();
  private readonly context: RoomContext;

  constructor(
    private readonly store: DocStore,
    private readonly options: RoomsOptions,
    private readonly log: Logger,
    private readonly metrics: RelayMetrics,
    /** An embedding application's hooks: onLoad is awaited before a load completes. */
    private readonly hooks: HookRunner | null = null,
  ) {
    this.context = { store, options, log, metrics, hooks: hooks ?? undefined };
  }

  /** Number of documents in memory. */
  get size(): number {
    return this.loaded.size;
  }

  /** The loaded room of `name`, if any, without holding it. */
  peek(name: string): Room | undefined {
    return this.loaded.get(name)?.room;
  }

  /** Every room in memory: loaded, and being unloaded (still flushing). */
  all(): Room[] {
    return [...this.loaded.values(), ...[...this.unloading.values()].map((u) => u.entry)].map(
      (entry) => entry.room,
    );
  }

  /**
   * Loads (once) and holds a room. Every acquire must be matched by one `release`. Rejects
   * with the store's error, or LoadTimeoutError after `loadTimeoutMs`.
   */
  async acquire(name: string): Promise<Room> {
    const entry = this.loaded.get(name) ?? this.takeBack(name) ?? (await this.loadWithin(name));
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
    if (entry.holders === 0) {
      entry.room.checkpointer.lastUserLeft();
      this.armIdleUnload(entry);
    }
  }

  private armIdleUnload(entry: Entry): void {
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
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
    await Promise.all([...this.unloading.values()].map((u) => u.done));
  }

  /**
   * Forgets the room of `name` without writing anything more of it (its document is being
   * deleted for good, and a copy written back would bring it back). Resolves once the writes
   * already in flight have ended, so that a delete after it is the last word. Its holders
   * must be gone (their connections closed).
   */
  async discard(name: string): Promise<void> {
    await this.loading.get(name)?.catch(() => undefined);
    const entry = this.loaded.get(name) ?? this.unloading.get(name)?.entry;
    this.loaded.delete(name);
    this.unloading.delete(name);
    if (!entry) return;
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    this.metrics.loadedDocuments.set(this.loaded.size);
    this.options.cluster?.roomUnloaded(entry.room);
    entry.room.destroy();
    await Promise.all([entry.room.persister.flush(), entry.room.checkpointer.settled()]);
    this.log.debug({ doc: name }, 'document discarded');
  }

  /** The room of `name` if it is being unloaded, back among the loaded ones. */
  private takeBack(name: string): Entry | undefined {
    const unloading = this.unloading.get(name);
    if (!unloading) return undefined;
    this.unloading.delete(name);
    this.loaded.set(name, unloading.entry);
    this.metrics.loadedDocuments.set(this.loaded.size);
    this.log.debug({ doc: name }, 'document reopened while unloading');
    return unloading.entry;
  }

  private async loadWithin(name: string): Promise<Entry> {
    const timeoutMs = this.options.loadTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        this.metrics.storageErrors.inc({ operation: 'load_timeout' });
        reject(new LoadTimeoutError(name, timeoutMs));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.load(name), timeout]);
    } finally {
      clearTimeout(timer);
    }
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
    let state, authors;
    try {
      [state, authors] = await Promise.all([this.store.load(name), this.store.loadAuthors(name)]);
    } catch (error) {
      this.metrics.storageErrors.inc({ operation: 'load' });
      throw error;
    }
    const room = new Room(name, state, this.context, authors);
    this.options.cluster?.roomLoaded(room);
    await this.hooks?.loaded({ docName: name, doc: room.doc });
    const entry: Entry = { room, holders: 0, idleTimer: null };
    // Idle until an open holds it, so a room nobody waits for any more (its opens timed out
    // or went away) is unloaded like any other.
    this.armIdleUnload(entry);
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
    // A shutdown unloads rooms whose users are still connected: that is everyone leaving too.
    room.checkpointer.lastUserLeft();
    const unloading: Unloading = {
      entry,
      done: Promise.all([room.persister.flush(), room.checkpointer.settled()]).then(async () => {
        // Reopened meanwhile (taken back, maybe unloaded again since): not this unload's to end.
        if (this.unloading.get(room.name) !== unloading) return;
        await this.hooks?.unloading({ docName: room.name, doc: room.doc });
        if (this.unloading.get(room.name) !== unloading) return;
        this.unloading.delete(room.name);
        this.options.cluster?.roomUnloaded(room);
        room.destroy();
        this.log.debug({ doc: room.name }, 'document unloaded');
      }),
    };
    this.unloading.set(room.name, unloading);
  }
}
