/**
 * The LevelDB DocStore: each document is an append-only log of Yjs updates.
 *
 * Key layout (string keys, NUL-separated so no document's range can contain another's):
 *
 *   u\0<name>\0<seq>   one Yjs update; <seq> is 16 lowercase hex digits, so keys sort by seq
 *   m\0<name>          the document's metadata as UTF-8 JSON (see `StoredMeta`)
 *   c\0<name>\0<id>    one checkpoint without its state, as UTF-8 JSON; <id> is 16 hex digits
 *   s\0<name>\0<id>    that checkpoint's state (one Yjs update), apart so listing never reads it
 *   n\0<name>          the last checkpoint id handed out (decimal), so ids are never reused
 *   a\0<name>\0<client> one authorship entry: Yjs client id (8 hex digits) → user, as JSON
 *   p\0<name>          the tombstone of a document deleted for good: epoch ms (decimal)
 *
 * Every append writes its updates and the new metadata in one LevelDB batch, and compaction
 * deletes the old log, writes the merged update and the metadata in one batch, so a crash at
 * any moment leaves either the old log or the new one — both load to the same document.
 * Batches of different documents that are ready together share one write (group-commit.ts).
 */
import { Level } from 'level';
import { mergeLog } from './merge-log';
import { newestFirst } from './checkpoint-order';
import {
  assertStorableName,
  type AppendOptions,
  type Author,
  type Checkpoint,
  type CheckpointCovered,
  type CheckpointInfo,
  type DocInfo,
  type DocStore,
  type NewCheckpoint,
} from './doc-store';
import { GroupCommit, type BatchOperation } from './group-commit';
import { StoreCalls } from './store-calls';

export interface LevelDocStoreOptions {
  /** Directory of the LevelDB database; created if missing. */
  readonly directory: string;
  /**
   * fsync every write batch before acknowledging it (LevelDB `sync: true`). Off by default:
   * a write that returned is then in the OS page cache, which survives a process crash but
   * not a power loss. Default: false.
   */
  readonly fsync?: boolean;
}

interface StoredMeta {
  nextSeq: number;
  updates: number;
  bytes: number;
  modified: number;
  title?: string;
  /** Epoch ms it was moved to the trash. */
  trashedAt?: number;
}

const SEP = '\u0000';
const updatePrefix = (name: string): string => `u${SEP}${name}${SEP}`;
const updateKey = (name: string, seq: number): string =>
  updatePrefix(name) + seq.toString(16).padStart(16, '0');
const metaKey = (name: string): string => `m${SEP}${name}`;
const hex = (value: number, digits: number): string => value.toString(16).padStart(digits, '0');
const checkpointPrefix = (name: string): string => `c${SEP}${name}${SEP}`;
const checkpointKey = (name: string, id: number): string => checkpointPrefix(name) + hex(id, 16);
const statePrefix = (name: string): string => `s${SEP}${name}${SEP}`;
const stateKey = (name: string, id: number): string => statePrefix(name) + hex(id, 16);
const lastCheckpointKey = (name: string): string => `n${SEP}${name}`;
const authorPrefix = (name: string): string => `a${SEP}${name}${SEP}`;
const authorKey = (name: string, clientId: number): string => authorPrefix(name) + hex(clientId, 8);
const purgedKey = (name: string): string => `p${SEP}${name}`;
/** Upper bound of a prefix range: the prefix with its last character incremented. */
const rangeEnd = (prefix: string): string =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

/**
 * Metadata of this many recently used documents stays in memory. Every append needs the
 * previous metadata, and reading it back from LevelDB was a tenth of the relay's CPU under
 * load; this process is the database's only writer, so the copy cannot go stale.
 */
const META_CACHE_SIZE = 4096;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export class LevelDocStore implements DocStore {
  private readonly db: Level<string, Uint8Array>;
  private readonly calls = new StoreCalls();
  private readonly commits: GroupCommit;
  /** Recently used metadata, least recently used first (Map keeps insertion order). */
  private readonly metaCache = new Map<string, StoredMeta>();

  private constructor(db: Level<string, Uint8Array>, fsync: boolean) {
    this.db = db;
    this.commits = new GroupCommit((operations) => db.batch(operations, { sync: fsync }));
  }

  /** Opens (creating if needed) the database. Rejects with LevelDB's error, e.g. when locked. */
  static async open(options: LevelDocStoreOptions): Promise<LevelDocStore> {
    const db = new Level<string, Uint8Array>(options.directory, {
      keyEncoding: 'utf8',
      valueEncoding: 'view',
    });
    await db.open();
    return new LevelDocStore(db, options.fsync ?? false);
  }

  load(name: string): Promise<Uint8Array | null> {
    return this.calls.serial(name, async () => {
      if (!(await this.readMeta(name))) return null;
      const updates = await this.readLog(name);
      return mergeLog(updates);
    });
  }

  append(name: string, updates: readonly Uint8Array[], options?: AppendOptions): Promise<DocInfo> {
    return this.calls.serial(name, async () => {
      assertStorableName(name);
      const previous = await this.readMeta(name);
      let seq = previous?.nextSeq ?? 0;
      const operations: BatchOperation[] = [];
      let bytes = 0;
      for (const update of updates) {
        operations.push({ type: 'put', key: updateKey(name, seq++), value: update });
        bytes += update.byteLength;
      }
      const title = options?.title ?? previous?.title;
      const trashedAt = previous?.trashedAt;
      const meta: StoredMeta = {
        nextSeq: seq,
        updates: (previous?.updates ?? 0) + updates.length,
        bytes: (previous?.bytes ?? 0) + bytes,
        modified: Date.now(),
        ...(title === undefined ? {} : { title }),
        ...(trashedAt === undefined ? {} : { trashedAt }),
      };
      operations.push({ type: 'put', key: metaKey(name), value: encodeMeta(meta) });
      await this.writeBatch(operations, name, meta);
      return toInfo(name, meta);
    });
  }

  compact(name: string, snapshot?: Uint8Array): Promise<DocInfo | null> {
    return this.calls.serial(name, async () => {
      const previous = await this.readMeta(name);
      if (!previous) return null;
      const keys = await this.db.keys(this.logRange(name)).all();
      // The keys were just listed inside this document's serial queue, so all are present.
      const merged = snapshot ?? mergeLog(await this.db.getMany(keys));
      const meta: StoredMeta = {
        ...previous,
        nextSeq: previous.nextSeq + 1,
        updates: 1,
        bytes: merged.byteLength,
      };
      const operations: BatchOperation[] = keys.map((key) => ({ type: 'del', key }));
      operations.push({ type: 'put', key: updateKey(name, previous.nextSeq), value: merged });
      operations.push({ type: 'put', key: metaKey(name), value: encodeMeta(meta) });
      await this.writeBatch(operations, name, meta);
      return toInfo(name, meta);
    });
  }

  info(name: string): Promise<DocInfo | null> {
    return this.calls.serial(name, async () => {
      const meta = await this.readMeta(name);
      return meta ? toInfo(name, meta) : null;
    });
  }

  async list(): Promise<DocInfo[]> {
    this.calls.assertOpen();
    const prefix = `m${SEP}`;
    const infos: DocInfo[] = [];
    for await (const [key, value] of this.db.iterator({ gte: prefix, lt: rangeEnd(prefix) })) {
      const name = key.slice(prefix.length);
      infos.push(toInfo(name, decodeMeta(name, value)));
    }
    return infos;
  }

  delete(name: string): Promise<boolean> {
    return this.calls.serial(name, async () => {
      const ranges = [updatePrefix(name), checkpointPrefix(name), statePrefix(name)];
      ranges.push(authorPrefix(name));
      const keys = (await Promise.all(ranges.map((prefix) => this.keysUnder(prefix)))).flat();
      const single = [metaKey(name), lastCheckpointKey(name)];
      // abstract-level 3 resolves missing keys to undefined; its typings do not say so.
      const found = (await this.db.getMany(single)) as (Uint8Array | undefined)[];
      const present = found.some((value) => value !== undefined);
      if (keys.length === 0 && !present) return false;
      const operations: BatchOperation[] = [...keys, ...single].map((key) => ({
        type: 'del',
        key,
      }));
      await this.writeBatch(operations, name, null);
      return true;
    });
  }

  setTrashed(name: string, at: number | null): Promise<boolean> {
    return this.calls.serial(name, async () => {
      const previous = await this.readMeta(name);
      if (!previous) return false;
      const rest: StoredMeta = { ...previous };
      delete rest.trashedAt;
      const meta: StoredMeta = at === null ? rest : { ...rest, trashedAt: at };
      await this.writeBatch(
        [{ type: 'put', key: metaKey(name), value: encodeMeta(meta) }],
        name,
        meta,
      );
      return true;
    });
  }

  setPurged(name: string, at: number | null): Promise<void> {
    return this.calls.serial(name, async () => {
      assertStorableName(name);
      await this.commits.commit([
        at === null
          ? { type: 'del', key: purgedKey(name) }
          : { type: 'put', key: purgedKey(name), value: textEncoder.encode(String(at)) },
      ]);
    });
  }

  purgedAt(name: string): Promise<number | null> {
    return this.calls.serial(name, async () => {
      const value = (await this.db.get(purgedKey(name))) as Uint8Array | undefined;
      return value === undefined ? null : Number(textDecoder.decode(value));
    });
  }

  async forgetPurgedBefore(cutoff: number): Promise<number> {
    this.calls.assertOpen();
    const prefix = `p${SEP}`;
    const expired: string[] = [];
    for await (const [key, value] of this.db.iterator({ gte: prefix, lt: rangeEnd(prefix) })) {
      if (Number(textDecoder.decode(value)) <= cutoff) expired.push(key.slice(prefix.length));
    }
    // Each in its document's queue, so a tombstone set again meanwhile is read afresh.
    const forgotten = await Promise.all(
      expired.map((name) =>
        this.calls.serial(name, async () => {
          const value = (await this.db.get(purgedKey(name))) as Uint8Array | undefined;
          if (value === undefined || Number(textDecoder.decode(value)) > cutoff) return 0;
          await this.commits.commit([{ type: 'del', key: purgedKey(name) }]);
          return 1;
        }),
      ),
    );
    return forgotten.reduce<number>((sum, one) => sum + one, 0);
  }

  addCheckpoint(name: string, checkpoint: NewCheckpoint): Promise<CheckpointInfo> {
    return this.calls.serial(name, () => this.storeCheckpoint(name, checkpoint));
  }

  addCheckpointUnless(
    name: string,
    checkpoint: NewCheckpoint,
    covered: CheckpointCovered,
  ): Promise<CheckpointInfo | null> {
    // Inside the document's queue nothing else reads or writes its checkpoints meanwhile.
    return this.calls.serial(name, async () => {
      const [newest] = await this.readCheckpoints(name);
      if (covered(newest ?? null)) return null;
      return this.storeCheckpoint(name, checkpoint);
    });
  }

  listCheckpoints(name: string): Promise<CheckpointInfo[]> {
    return this.calls.serial(name, () => this.readCheckpoints(name));
  }

  loadCheckpoint(name: string, id: string): Promise<Checkpoint | null> {
    return this.calls.serial(name, async () => {
      const seq = checkpointSeq(id);
      if (seq === null) return null;
      const [info, state] = await this.db.getMany([checkpointKey(name, seq), stateKey(name, seq)]);
      if (info === undefined || state === undefined) return null;
      return { ...decodeCheckpointInfo(name, info), state };
    });
  }

  deleteCheckpoints(name: string, ids: readonly string[]): Promise<number> {
    return this.calls.serial(name, async () => {
      const seqs = [...new Set(ids)].map(checkpointSeq).filter((seq) => seq !== null);
      const found = (await this.db.getMany(seqs.map((seq) => checkpointKey(name, seq)))) as (
        Uint8Array | undefined
      )[];
      const present = seqs.filter((_seq, index) => found[index] !== undefined);
      if (present.length === 0) return 0;
      await this.commits.commit(
        present.flatMap((seq): BatchOperation[] => [
          { type: 'del', key: checkpointKey(name, seq) },
          { type: 'del', key: stateKey(name, seq) },
        ]),
      );
      return present.length;
    });
  }

  saveAuthors(name: string, authors: ReadonlyMap<number, Author>): Promise<void> {
    return this.calls.serial(name, async () => {
      assertStorableName(name);
      const operations: BatchOperation[] = [];
      for (const [clientId, author] of authors) {
        if (!Number.isInteger(clientId) || clientId < 0 || clientId > 0xffffffff) {
          throw new Error(`invalid Yjs client id ${clientId}`);
        }
        operations.push({ type: 'put', key: authorKey(name, clientId), value: encodeJson(author) });
      }
      if (operations.length > 0) await this.commits.commit(operations);
    });
  }

  loadAuthors(name: string): Promise<Map<number, Author>> {
    return this.calls.serial(name, async () => {
      const prefix = authorPrefix(name);
      const table = new Map<number, Author>();
      for await (const [key, value] of this.db.iterator(prefixRange(prefix))) {
        table.set(Number.parseInt(key.slice(prefix.length), 16), decodeAuthor(name, value));
      }
      return table;
    });
  }

  async close(): Promise<void> {
    if (await this.calls.close()) await this.db.close();
  }

  private async storeCheckpoint(name: string, checkpoint: NewCheckpoint): Promise<CheckpointInfo> {
    assertStorableName(name);
    const last = (await this.db.get(lastCheckpointKey(name))) as Uint8Array | undefined;
    const id = (last === undefined ? 0 : Number(textDecoder.decode(last))) + 1;
    const { state, ...rest } = checkpoint;
    const info: CheckpointInfo = { ...rest, id: String(id), bytes: state.byteLength };
    await this.commits.commit([
      { type: 'put', key: checkpointKey(name, id), value: encodeJson(info) },
      { type: 'put', key: stateKey(name, id), value: state },
      { type: 'put', key: lastCheckpointKey(name), value: textEncoder.encode(String(id)) },
    ]);
    return info;
  }

  /** `name`'s checkpoints, newest first; call only inside the document's queue. */
  private async readCheckpoints(name: string): Promise<CheckpointInfo[]> {
    const values = await this.db.values(prefixRange(checkpointPrefix(name))).all();
    return newestFirst(values.map((value) => decodeCheckpointInfo(name, value)));
  }

  private logRange(name: string): { gte: string; lt: string } {
    return prefixRange(updatePrefix(name));
  }

  private keysUnder(prefix: string): Promise<string[]> {
    return this.db.keys(prefixRange(prefix)).all();
  }

  private async readLog(name: string): Promise<Uint8Array[]> {
    return this.db.values(this.logRange(name)).all();
  }

  private async readMeta(name: string): Promise<StoredMeta | null> {
    const cached = this.metaCache.get(name);
    if (cached) {
      this.remember(name, cached);
      return cached;
    }
    // abstract-level 3 resolves a missing key to undefined; its typings do not say so.
    const value = (await this.db.get(metaKey(name))) as Uint8Array | undefined;
    if (value === undefined) return null;
    const meta = decodeMeta(name, value);
    this.remember(name, meta);
    return meta;
  }

  /** Writes `operations` atomically, then records `meta` (null: deleted) as the metadata. */
  private async writeBatch(
    operations: readonly BatchOperation[],
    name: string,
    meta: StoredMeta | null,
  ): Promise<void> {
    this.metaCache.delete(name);
    await this.commits.commit(operations);
    if (meta) this.remember(name, meta);
  }

  private remember(name: string, meta: StoredMeta): void {
    this.metaCache.delete(name);
    this.metaCache.set(name, meta);
    if (this.metaCache.size > META_CACHE_SIZE) {
      const oldest = this.metaCache.keys().next();
      if (!oldest.done) this.metaCache.delete(oldest.value);
    }
  }
}

function prefixRange(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: rangeEnd(prefix) };
}

/** The sequence number behind a checkpoint id, or null for an id this store never made. */
function checkpointSeq(id: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(id)) return null;
  const seq = Number(id);
  return Number.isSafeInteger(seq) ? seq : null;
}

function encodeJson(value: unknown): Uint8Array {
  return textEncoder.encode(JSON.stringify(value));
}

function decodeCheckpointInfo(name: string, value: Uint8Array): CheckpointInfo {
  const parsed: unknown = JSON.parse(textDecoder.decode(value));
  const info = parsed as CheckpointInfo;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof info.id !== 'string' ||
    typeof info.createdAt !== 'number' ||
    !Array.isArray(info.authors)
  ) {
    throw new Error(`corrupt checkpoint of document ${JSON.stringify(name)}`);
  }
  return info;
}

function decodeAuthor(name: string, value: Uint8Array): Author {
  const parsed: unknown = JSON.parse(textDecoder.decode(value));
  const author = parsed as Author;
  if (typeof parsed !== 'object' || parsed === null || typeof author.id !== 'string') {
    throw new Error(`corrupt authorship entry of document ${JSON.stringify(name)}`);
  }
  return author;
}

function encodeMeta(meta: StoredMeta): Uint8Array {
  return textEncoder.encode(JSON.stringify(meta));
}

function decodeMeta(name: string, value: Uint8Array): StoredMeta {
  const parsed: unknown = JSON.parse(textDecoder.decode(value));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as StoredMeta).nextSeq !== 'number' ||
    typeof (parsed as StoredMeta).updates !== 'number'
  ) {
    throw new Error(`corrupt metadata for document ${JSON.stringify(name)}`);
  }
  return parsed as StoredMeta;
}

function toInfo(name: string, meta: StoredMeta): DocInfo {
  return {
    name,
    ...(meta.title === undefined ? {} : { title: meta.title }),
    updates: meta.updates,
    bytes: meta.bytes,
    modified: meta.modified,
    ...(meta.trashedAt === undefined ? {} : { trashedAt: meta.trashedAt }),
  };
}
