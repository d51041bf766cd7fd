/** An in-memory DocStore for tests and ephemeral relays. Keeps the same contract as LevelDB. */
import { mergeLog } from './merge-log';
import { newestFirst } from './checkpoint-order';
import {
  assertStorableName,
  StoreClosedError,
  type AppendOptions,
  type Author,
  type Checkpoint,
  type CheckpointCovered,
  type CheckpointInfo,
  type DocInfo,
  type DocStore,
  type NewCheckpoint,
} from './doc-store';

interface MemoryDoc {
  updates: Uint8Array[];
  info: DocInfo;
}

export class MemoryDocStore implements DocStore {
  private readonly docs = new Map<string, MemoryDoc>();
  private readonly checkpoints = new Map<string, Checkpoint[]>();
  /** The last checkpoint id handed out per document, so ids are never reused. */
  private readonly lastCheckpointId = new Map<string, number>();
  private readonly authors = new Map<string, Map<number, Author>>();
  /** Documents deleted for good → when. */
  private readonly purged = new Map<string, number>();
  private closed = false;

  load(name: string): Promise<Uint8Array | null> {
    return this.call(() => {
      const doc = this.docs.get(name);
      return doc ? mergeLog(doc.updates) : null;
    });
  }

  append(name: string, updates: readonly Uint8Array[], options?: AppendOptions): Promise<DocInfo> {
    return this.call(() => {
      assertStorableName(name);
      const previous = this.docs.get(name);
      const copies = updates.map((update) => update.slice());
      const all = [...(previous?.updates ?? []), ...copies];
      const title = options?.title ?? previous?.info.title;
      const trashedAt = previous?.info.trashedAt;
      const info: DocInfo = {
        name,
        ...(title === undefined ? {} : { title }),
        updates: all.length,
        bytes: all.reduce((sum, update) => sum + update.byteLength, 0),
        modified: Date.now(),
        ...(trashedAt === undefined ? {} : { trashedAt }),
      };
      this.docs.set(name, { updates: all, info });
      return info;
    });
  }

  compact(name: string, snapshot?: Uint8Array): Promise<DocInfo | null> {
    return this.call(() => {
      const doc = this.docs.get(name);
      if (!doc) return null;
      const merged = snapshot ?? mergeLog(doc.updates);
      doc.updates = [merged];
      doc.info = { ...doc.info, updates: 1, bytes: merged.byteLength };
      return doc.info;
    });
  }

  info(name: string): Promise<DocInfo | null> {
    return this.call(() => this.docs.get(name)?.info ?? null);
  }

  list(): Promise<DocInfo[]> {
    return this.call(() => [...this.docs.values()].map((doc) => doc.info));
  }

  delete(name: string): Promise<boolean> {
    return this.call(() => {
      const removedCheckpoints = this.checkpoints.delete(name);
      this.lastCheckpointId.delete(name);
      const removedAuthors = this.authors.delete(name);
      return this.docs.delete(name) || removedCheckpoints || removedAuthors;
    });
  }

  setTrashed(name: string, at: number | null): Promise<boolean> {
    return this.call(() => {
      const doc = this.docs.get(name);
      if (!doc) return false;
      const rest: DocInfo = { ...doc.info };
      delete (rest as { trashedAt?: number }).trashedAt;
      doc.info = at === null ? rest : { ...rest, trashedAt: at };
      return true;
    });
  }

  setPurged(name: string, at: number | null): Promise<void> {
    return this.call(() => {
      assertStorableName(name);
      if (at === null) this.purged.delete(name);
      else this.purged.set(name, at);
    });
  }

  purgedAt(name: string): Promise<number | null> {
    return this.call(() => this.purged.get(name) ?? null);
  }

  forgetPurgedBefore(cutoff: number): Promise<number> {
    return this.call(() => {
      let forgotten = 0;
      for (const [name, at] of this.purged) {
        if (at > cutoff) continue;
        this.purged.delete(name);
        forgotten++;
      }
      return forgotten;
    });
  }

  addCheckpoint(name: string, checkpoint: NewCheckpoint): Promise<CheckpointInfo> {
    return this.call(() => this.storeCheckpoint(name, checkpoint));
  }

  addCheckpointUnless(
    name: string,
    checkpoint: NewCheckpoint,
    covered: CheckpointCovered,
  ): Promise<CheckpointInfo | null> {
    return this.call(() => {
      const [newest] = newestFirst(this.checkpoints.get(name) ?? []);
      if (covered(newest === undefined ? null : withoutState(newest))) return null;
      return this.storeCheckpoint(name, checkpoint);
    });
  }

  listCheckpoints(name: string): Promise<CheckpointInfo[]> {
    return this.call(() => newestFirst((this.checkpoints.get(name) ?? []).map(withoutState)));
  }

  loadCheckpoint(name: string, id: string): Promise<Checkpoint | null> {
    return this.call(() => {
      const found = this.checkpoints.get(name)?.find((checkpoint) => checkpoint.id === id);
      return found ? { ...found, state: found.state.slice() } : null;
    });
  }

  deleteCheckpoints(name: string, ids: readonly string[]): Promise<number> {
    return this.call(() => {
      const before = this.checkpoints.get(name) ?? [];
      const doomed = new Set(ids);
      const kept = before.filter((checkpoint) => !doomed.has(checkpoint.id));
      if (kept.length > 0) this.checkpoints.set(name, kept);
      else this.checkpoints.delete(name);
      return before.length - kept.length;
    });
  }

  saveAuthors(name: string, authors: ReadonlyMap<number, Author>): Promise<void> {
    return this.call(() => {
      assertStorableName(name);
      const table = this.authors.get(name) ?? new Map<number, Author>();
      for (const [clientId, author] of authors) table.set(clientId, { ...author });
      this.authors.set(name, table);
    });
  }

  loadAuthors(name: string): Promise<Map<number, Author>> {
    return this.call(() => new Map(this.authors.get(name) ?? []));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private storeCheckpoint(name: string, checkpoint: NewCheckpoint): CheckpointInfo {
    assertStorableName(name);
    const id = (this.lastCheckpointId.get(name) ?? 0) + 1;
    this.lastCheckpointId.set(name, id);
    const stored: Checkpoint = {
      ...checkpoint,
      authors: checkpoint.authors.map((author) => ({ ...author })),
      state: checkpoint.state.slice(),
      id: String(id),
      bytes: checkpoint.state.byteLength,
    };
    this.checkpoints.set(name, [...(this.checkpoints.get(name) ?? []), stored]);
    return withoutState(stored);
  }

  private call<T>(operation: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    try {
      return Promise.resolve(operation());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function withoutState(checkpoint: Checkpoint): CheckpointInfo {
  const info: { -readonly [K in keyof Checkpoint]?: Checkpoint[K] } = { ...checkpoint };
  delete info.state;
  return info as CheckpointInfo;
}
