/**
 * The trash: a document moved there keeps its content and history but is out of the list,
 * and nobody may connect to it or change it (its open connections are closed with 4404)
 * until it is restored. Deleting it for good, on request or after the retention by the
 * periodic sweep, removes it and its history from the store and leaves a tombstone for the
 * retention: connections to that name are closed with 4410, so a browser's offline copy
 * cannot recreate it without anyone asking, until a restore (from that copy) clears it.
 */
import type { DocInfo, DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { CloseCode } from './connection';
import type { DocActivity } from './doc-activity';
import type { Rooms } from './rooms';

export const DEFAULT_TRASH_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** How often the sweep looks for documents past the retention. */
export const TRASH_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
export const TRASHED_REASON = 'This document was moved to the trash';
export const PURGED_REASON = 'This document was deleted for good';

/** Where a name stands: in the trash, deleted for good (a tombstone), or neither. */
export type TrashState = 'trashed' | 'purged' | null;

/** What the trash needs of the open connections: their document, and a way to close them. */
export interface ClosableConnection {
  readonly room: { readonly name: string };
  close(code: number, reason: string): void;
}

export interface TrashDeps {
  readonly store: DocStore;
  readonly rooms: Rooms;
  readonly connections: ReadonlySet<ClosableConnection>;
  readonly activity?: DocActivity | undefined;
  readonly log: Logger;
  /** Documents trashed longer ago than this are deleted for good by `sweep`. */
  readonly retentionMs?: number | undefined;
  /** The clock (milliseconds since the epoch); tests pass their own. */
  readonly now?: (() => number) | undefined;
}

export interface TrashEntry {
  readonly name: string;
  readonly title: string | null;
  readonly modified: number;
  readonly size: number;
  readonly trashedAt: number;
  /** When the sweep deletes it for good. */
  readonly deleteAfter: number;
}

export class Trash {
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: TrashDeps) {
    this.retentionMs = deps.retentionMs ?? DEFAULT_TRASH_RETENTION_MS;
    this.now = deps.now ?? Date.now;
  }

  /** Moves `name` to the trash and closes its connections; false when it was never stored. */
  async moveToTrash(name: string): Promise<boolean> {
    const info = await this.deps.store.info(name);
    if (info === null) return false;
    // Trashing twice keeps the first time, so the retention counts from it.
    if (info.trashedAt === undefined) {
      if (!(await this.deps.store.setTrashed(name, this.now()))) return false;
    }
    this.closeConnectionsTo(name);
    await this.deps.activity?.trashChanged(name, true);
    return true;
  }

  /**
   * Takes `name` out of the trash: `restored`. With `fromDevice` (a device restoring from its
   * own copy), for a name deleted for good it forgets the tombstone instead (`recreated`):
   * that device's next connection starts the document again. False when it is not stored
   * (nor, with `fromDevice`, deleted for good).
   */
  async restore(name: string, fromDevice = false): Promise<'restored' | 'recreated' | false> {
    if (await this.deps.store.setTrashed(name, null)) {
      await this.deps.activity?.trashChanged(name, false);
      return 'restored';
    }
    const { store } = this.deps;
    if (!fromDevice || store.purgedAt === undefined) return false;
    if ((await store.purgedAt(name)) === null) return false;
    await store.setPurged?.(name, null);
    this.deps.log.info({ doc: name }, 'document deleted for good is started again');
    return 'recreated';
  }

  /** True when `name` is stored and in the trash. */
  async isTrashed(name: string): Promise<boolean> {
    return (await this.deps.store.info(name))?.trashedAt !== undefined;
  }

  /** Whether connections to `name` are refused: 4404 (`trashed`) or 4410 (`purged`). */
  async stateOf(name: string): Promise<TrashState> {
    const info = await this.deps.store.info(name);
    if (info !== null) return info.trashedAt === undefined ? null : 'trashed';
    const purgedAt = (await this.deps.store.purgedAt?.(name)) ?? null;
    return purgedAt === null ? null : 'purged';
  }

  /**
   * Deletes `name` and its history for good. Its connections are closed and its loaded copy
   * discarded first, so nothing in memory is ever written back. False when it is not stored.
   */
  async deleteForGood(name: string): Promise<boolean> {
    const { store } = this.deps;
    this.closeConnectionsTo(name);
    await this.deps.rooms.discard(name);
    // The tombstone first: between the delete and it, a connection would start afresh.
    await store.setPurged?.(name, this.now());
    const deleted = await store.delete(name);
    if (deleted) this.deps.log.info({ doc: name }, 'document deleted for good');
    else await store.setPurged?.(name, null);
    return deleted;
  }

  /** The documents in the trash, most recently trashed first. */
  async list(): Promise<TrashEntry[]> {
    const all = await this.deps.store.list();
    return all
      .filter((info): info is DocInfo & { trashedAt: number } => info.trashedAt !== undefined)
      .sort((a, b) => b.trashedAt - a.trashedAt)
      .map((info) => ({
        name: info.name,
        title: info.title ?? null,
        modified: info.modified,
        size: info.bytes,
        trashedAt: info.trashedAt,
        deleteAfter: info.trashedAt + this.retentionMs,
      }));
  }

  /**
   * Deletes for good every document trashed longer than the retention, and forgets the
   * tombstones older than it; the names deleted.
   */
  async sweep(): Promise<string[]> {
    const cutoff = this.now() - this.retentionMs;
    try {
      await this.deps.store.forgetPurgedBefore?.(cutoff);
    } catch (error) {
      this.deps.log.error({ err: error }, 'trash sweep could not forget old tombstones');
    }
    const expired = (await this.list()).filter((entry) => entry.trashedAt <= cutoff);
    const deleted: string[] = [];
    for (const { name } of expired) {
      try {
        if (await this.deleteForGood(name)) deleted.push(name);
      } catch (error) {
        // The next sweep tries again; one failing document must not keep the others.
        this.deps.log.error({ err: error, doc: name }, 'trash sweep could not delete');
      }
    }
    return deleted;
  }

  /** Sweeps every `intervalMs` (hourly) until the returned function is called. */
  startSweeping(intervalMs: number = TRASH_SWEEP_INTERVAL_MS): () => void {
    const timer = setInterval(() => {
      this.sweep().catch((error: unknown) => {
        this.deps.log.error({ err: error }, 'trash sweep failed');
      });
    }, intervalMs);
    // A sweep is housekeeping: it never keeps the process alive.
    timer.unref();
    return () => clearInterval(timer);
  }

  private closeConnectionsTo(name: string): void {
    for (const connection of this.deps.connections) {
      if (connection.room.name === name) connection.close(CloseCode.trashed, TRASHED_REASON);
    }
  }
}
