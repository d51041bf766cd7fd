/**
 * Writes a document into each server's own storage, with the server stopped, in the layout
 * the server itself would have produced:
 *
 * - Weft: its LevelDocStore log, one key per update (appended in batches of 1,000, as group
 *   commit would); compacted, the same appends with the log replaced by the live document's
 *   state whenever it reaches 1,000 updates, as the relay does.
 * - y-websocket: y-leveldb's `storeUpdate` for every update, as bin/server.cjs does on each
 *   change; y-leveldb compacts a document itself when it loads one of more than 500 updates.
 * - Hocuspocus: the Database extension stores the whole encoded state under the document's
 *   name; it never keeps a log, so there is no "before compaction" for it.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LevelDocStore } from '@weft/storage';
import { ClassicLevel } from 'classic-level';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';

export async function seedWeft(
  dir: string,
  name: string,
  updates: readonly Uint8Array[],
): Promise<void> {
  const store = await LevelDocStore.open({ directory: dir });
  for (let i = 0; i < updates.length; i += 1000) {
    await store.append(name, updates.slice(i, i + 1000));
  }
  await store.close();
}

/**
 * The log as the running relay keeps it: appended in batches of 1,000 and compacted, like the
 * relay does, to the state of the live document (which holds every update so far) whenever the
 * log reaches `compactUpdates` updates, and once more at the end. Returns the stored bytes.
 */
export async function seedWeftCompacted(
  dir: string,
  name: string,
  updates: readonly Uint8Array[],
  compactUpdates = 1000,
): Promise<number> {
  const store = await LevelDocStore.open({ directory: dir });
  const live = new Y.Doc();
  for (let i = 0; i < updates.length; i += 1000) {
    const batch = updates.slice(i, i + 1000);
    live.transact(() => {
      for (const update of batch) Y.applyUpdate(live, update);
    });
    const info = await store.append(name, batch);
    if (info.updates >= compactUpdates) await store.compact(name, Y.encodeStateAsUpdate(live));
  }
  const info = await store.compact(name, Y.encodeStateAsUpdate(live));
  await store.close();
  return info?.bytes ?? 0;
}

export async function seedYWebsocket(
  dir: string,
  name: string,
  updates: readonly Uint8Array[],
  progress: (done: number) => void,
): Promise<void> {
  const persistence = new LeveldbPersistence(dir);
  for (let i = 0; i < updates.length; i++) {
    await persistence.storeUpdate(name, updates[i] as Uint8Array);
    if (i % 20_000 === 0) progress(i);
  }
  await persistence.destroy();
}

export async function seedHocuspocus(dir: string, name: string, state: Uint8Array): Promise<void> {
  const db = new ClassicLevel<string, Uint8Array>(dir, {
    keyEncoding: 'utf8',
    valueEncoding: 'view',
  });
  await db.open();
  await db.put(name, state);
  await db.close();
}

/** Bytes of every file under `dir` (what the database occupies on disk). */
export function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}
