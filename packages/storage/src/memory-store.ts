/** An in-memory DocStore for tests and ephemeral relays. Keeps the same contract as LevelDB. */
import { mergeLog } from './merge-log';
import {
  assertStorableName,
  StoreClosedError,
  type AppendOptions,
  type DocInfo,
  type DocStore,
} from './doc-store';

interface MemoryDoc {
  updates: Uint8Array[];
  info: DocInfo;
}

export class MemoryDocStore implements DocStore {
  private readonly docs = new Map<string, MemoryDoc>();
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
      const info: DocInfo = {
        name,
        ...(title === undefined ? {} : { title }),
        updates: all.length,
        bytes: all.reduce((sum, update) => sum + update.byteLength, 0),
        modified: Date.now(),
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
    return this.call(() => this.docs.delete(name));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
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
