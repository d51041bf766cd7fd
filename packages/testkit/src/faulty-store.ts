/**
 * A DocStore wrapper for fault injection: counts calls, can hold appends behind a gate (to
 * observe what happens while a write is in flight), and can fail loads or appends until told
 * to recover.
 */
import type {
  AppendOptions,
  Author,
  Checkpoint,
  CheckpointCovered,
  CheckpointInfo,
  DocInfo,
  DocStore,
  NewCheckpoint,
} from '@weft/storage';

export class FaultyStore implements DocStore {
  /** Calls made, by operation. */
  readonly calls = { load: 0, append: 0, compact: 0 };
  /** The number of updates in each append call, in order. */
  readonly appendSizes: number[] = [];
  failLoads = false;
  failAppends = false;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;

  constructor(private readonly inner: DocStore) {}

  /** Holds every append until `release()`. */
  hold(): void {
    this.gate ??= new Promise((resolve) => {
      this.openGate = resolve;
    });
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }

  async load(name: string): Promise<Uint8Array | null> {
    this.calls.load++;
    if (this.failLoads) throw new Error('injected load failure');
    return this.inner.load(name);
  }

  async append(
    name: string,
    updates: readonly Uint8Array[],
    options?: AppendOptions,
  ): Promise<DocInfo> {
    this.calls.append++;
    this.appendSizes.push(updates.length);
    await this.gate;
    if (this.failAppends) throw new Error('injected append failure');
    return this.inner.append(name, updates, options);
  }

  compact(name: string, snapshot?: Uint8Array): Promise<DocInfo | null> {
    this.calls.compact++;
    return this.inner.compact(name, snapshot);
  }

  info(name: string): Promise<DocInfo | null> {
    return this.inner.info(name);
  }

  list(): Promise<DocInfo[]> {
    return this.inner.list();
  }

  delete(name: string): Promise<boolean> {
    return this.inner.delete(name);
  }

  setTrashed(name: string, at: number | null): Promise<boolean> {
    return this.inner.setTrashed(name, at);
  }

  async setPurged(name: string, at: number | null): Promise<void> {
    await this.inner.setPurged?.(name, at);
  }

  async purgedAt(name: string): Promise<number | null> {
    return (await this.inner.purgedAt?.(name)) ?? null;
  }

  async forgetPurgedBefore(cutoff: number): Promise<number> {
    return (await this.inner.forgetPurgedBefore?.(cutoff)) ?? 0;
  }

  addCheckpoint(name: string, checkpoint: NewCheckpoint): Promise<CheckpointInfo> {
    return this.inner.addCheckpoint(name, checkpoint);
  }

  addCheckpointUnless(
    name: string,
    checkpoint: NewCheckpoint,
    covered: CheckpointCovered,
  ): Promise<CheckpointInfo | null> {
    return this.inner.addCheckpointUnless(name, checkpoint, covered);
  }

  listCheckpoints(name: string): Promise<CheckpointInfo[]> {
    return this.inner.listCheckpoints(name);
  }

  loadCheckpoint(name: string, id: string): Promise<Checkpoint | null> {
    return this.inner.loadCheckpoint(name, id);
  }

  deleteCheckpoints(name: string, ids: readonly string[]): Promise<number> {
    return this.inner.deleteCheckpoints(name, ids);
  }

  saveAuthors(name: string, authors: ReadonlyMap<number, Author>): Promise<void> {
    return this.inner.saveAuthors(name, authors);
  }

  loadAuthors(name: string): Promise<Map<number, Author>> {
    return this.inner.loadAuthors(name);
  }

  close(): Promise<void> {
    this.release();
    return this.inner.close();
  }
}
