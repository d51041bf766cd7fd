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
  CheckpointInfo,
  DocStore,
  NewCheckpoint,
  PostgresDocInfo,
  PostgresDocStore,
  SequencedUpdate,
} from '@weft/storage';

export class ClusterStore implements DocStore {
  private readonly loadedSeqs = new Map<string, number>();

  constructor(readonly postgres: PostgresDocStore) {}

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

  delete(name: string): Promise<boolean> {
    return this.postgres.delete(name);
  }

  setTrashed(name: string, at: number | null): Promise<boolean> {
    return this.postgres.setTrashed(name, at);
  }

  addCheckpoint(name: string, checkpoint: NewCheckpoint): Promise<CheckpointInfo> {
    return this.postgres.addCheckpoint(name, checkpoint);
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
