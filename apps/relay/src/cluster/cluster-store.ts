/**
 * The PostgreSQL store as cluster mode's rooms see it: every DocStore call goes straight to
 * PostgresDocStore, except that a load also remembers the sequence number of the newest
 * update it returned, which the room's DocChannel takes as the point to repair from. Loads
 * through `load` keep the DocStore contract, so rooms.ts needs no cluster knowledge.
 */
import type {
  AppendOptions,
  Author,
  Checkpoint,
  CheckpointCovered,
  CheckpointInfo,
  DocStore,
  NewCheckpoint,
  PostgresDocInfo,
  PostgresDocStore,
  SequencedUpdate,
} from '@weft/storage';
import type { TrashChange } from './bus-messages';

export class ClusterStore implements DocStore {
  private readonly loadedSeqs = new Map<string, number>();

  /**
   * `trashChanged` hears of every trash change this relay committed (moved to the trash,
   * restored, deleted for good), after the COMMIT: cluster.ts tells the other relays.
   */
  constructor(
    readonly postgres: PostgresDocStore,
    private readonly trashChanged: (name: string, change: TrashChange) => void = () => undefined,
  ) {}

  /** The sequence number the last load of `name` ended at (-1: none), once. */
  takeLoadedSeq(name: string): number {
    const seq = this.loadedSeqs.get(name) ?? -1;
    this.loadedSeqs.delete(name);
    return seq;
  }

  async load(name: string): Promise<Uint8Array | null> {
    const loaded = await this.postgres.loadSequenced(name);
    this.loadedSeqs.set(name, loaded?.seq ?? -1);
    return loaded?.update ?? null;
  }

  append(
    name: string,
    updates: readonly Uint8Array[],
    options?: AppendOptions,
  ): Promise<PostgresDocInfo> {
    return this.postgres.append(name, updates, options);
  }

  compact(name: string, snapshot?: Uint8Array): Promise<PostgresDocInfo | null> {
    return this.postgres.compact(name, snapshot);
  }

  info(name: string): Promise<PostgresDocInfo | null> {
    return this.postgres.info(name);
  }

  list(): Promise<PostgresDocInfo[]> {
    return this.postgres.list();
  }

  async delete(name: string): Promise<boolean> {
    const deleted = await this.postgres.delete(name);
    if (deleted) this.trashChanged(name, 'deleted');
    return deleted;
  }

  async setTrashed(name: string, at: number | null): Promise<boolean> {
    const changed = await this.postgres.setTrashed(name, at);
    if (changed) this.trashChanged(name, at === null ? 'restored' : 'trashed');
    return changed;
  }

  // Tombstones of documents deleted for good (trash.ts), in PostgreSQL for every relay.
  setPurged(name: string, at: number | null): Promise<void> {
    return this.postgres.setPurged(name, at);
  }

  purgedAt(name: string): Promise<number | null> {
    return this.postgres.purgedAt(name);
  }

  forgetPurgedBefore(cutoff: number): Promise<number> {
    return this.postgres.forgetPurgedBefore(cutoff);
  }

  addCheckpoint(name: string, checkpoint: NewCheckpoint): Promise<CheckpointInfo> {
    return this.postgres.addCheckpoint(name, checkpoint);
  }

  addCheckpointUnless(
    name: string,
    checkpoint: NewCheckpoint,
    covered: CheckpointCovered,
  ): Promise<CheckpointInfo | null> {
    return this.postgres.addCheckpointUnless(name, checkpoint, covered);
  }

  listCheckpoints(name: string): Promise<CheckpointInfo[]> {
    return this.postgres.listCheckpoints(name);
  }

  loadCheckpoint(name: string, id: string): Promise<Checkpoint | null> {
    return this.postgres.loadCheckpoint(name, id);
  }

  deleteCheckpoints(name: string, ids: readonly string[]): Promise<number> {
    return this.postgres.deleteCheckpoints(name, ids);
  }

  saveAuthors(name: string, authors: ReadonlyMap<number, Author>): Promise<void> {
    return this.postgres.saveAuthors(name, authors);
  }

  loadAuthors(name: string): Promise<Map<number, Author>> {
    return this.postgres.loadAuthors(name);
  }

  updatesAfter(name: string, seq: number): Promise<SequencedUpdate[]> {
    return this.postgres.updatesAfter(name, seq);
  }

  latestSeqs(names: readonly string[]): Promise<Map<string, number>> {
    return this.postgres.latestSeqs(names);
  }

  close(): Promise<void> {
    return this.postgres.close();
  }
}
