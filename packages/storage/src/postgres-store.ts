/**
 * The PostgreSQL DocStore: the store several relays can share (cluster mode), and one relay
 * can use alone. Tables and migrations: postgres-schema.ts; checkpoints and authorship:
 * postgres-history.ts.
 *
 * - **Append** is one SQL statement, hence one transaction: it bumps the document row's
 *   `next_seq` (creating the row if needed) and inserts the batch's updates under the numbers
 *   it took. The document row stays locked until COMMIT, so concurrent appenders — in this
 *   process or in other relays — take their numbers one after another, in commit order, with
 *   no gaps: whoever sees number n committed also sees every number below it. A serial column
 *   would not give that (it is assigned at INSERT, and transactions commit in any order).
 *   `append` resolves when PostgreSQL reports the statement done, which it does after COMMIT.
 * - **Compaction** reads the log in one statement, merges it outside any lock (into the
 *   caller's snapshot, when given), then in one short transaction deletes only the rows up to
 *   the last number it read and stores the merge under that number. Updates committed
 *   meanwhile have higher numbers and stay. The caller's snapshot alone is not trusted to be
 *   complete: in cluster mode another relay may have committed an update it has not yet seen.
 * - **One compaction at a time** per document, across relays: a session advisory lock taken
 *   with `pg_try_advisory_lock` before the read and released after the COMMIT. Without it two
 *   compactions would still lose nothing (each deletes only rows it read and merged), but both
 *   would read and merge the whole log; with it the second one is skipped.
 * - **Repair** (`updatesAfter`): every row holds all updates up to its number, merged rows
 *   included, so the rows after the last number a relay applied are exactly what it may lack.
 */
import pg from 'pg';
import * as Y from 'yjs';
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
import { mergeLog } from './merge-log';
import * as history from './postgres-history';
import { asBuffer, asBytes, onlyRow } from './postgres-rows';
import { openMigratedPool } from './postgres-pool';
import { StoreCalls } from './store-calls';

export interface PostgresDocStoreOptions {
  /** `postgres://user:password@host:port/database` (`postgresql://` too). */
  readonly url: string;
  /** Connections in the pool; different documents are written in parallel. Default: 10. */
  readonly poolSize?: number;
  /** A call that cannot get a connection within this fails (PostgreSQL down). Default: 10 s. */
  readonly connectTimeoutMs?: number;
}

/** DocInfo with the sequence number of the document's newest update. */
export interface PostgresDocInfo extends DocInfo {
  /** The highest sequence number in the log (-1 for a document with no update). */
  readonly seq: number;
}

/** One stored update and its per-document sequence number. */
export interface SequencedUpdate {
  readonly seq: number;
  readonly update: Uint8Array;
}

interface DocumentRow {
  name: string;
  title: string | null;
  next_seq: string;
  updates: number;
  bytes: string;
  modified: string;
  trashed_at: string | null;
}

const DOCUMENT_COLUMNS = 'name, title, next_seq, updates, bytes, modified, trashed_at';

const APPEND = `
  WITH doc AS (
    INSERT INTO weft_documents AS d (name, title, next_seq, updates, bytes, modified)
    VALUES ($1, $2, $3::integer, $3::integer, $4, $5)
    ON CONFLICT (name) DO UPDATE SET
      title = coalesce(EXCLUDED.title, d.title),
      next_seq = d.next_seq + EXCLUDED.next_seq,
      updates = d.updates + EXCLUDED.updates,
      bytes = d.bytes + EXCLUDED.bytes,
      modified = greatest(d.modified, EXCLUDED.modified)
    RETURNING ${DOCUMENT_COLUMNS}
  ), stored AS (
    INSERT INTO weft_updates (name, seq, data)
    SELECT $1, doc.next_seq - $3::integer + u.ord - 1, u.data
    FROM doc, unnest($6::bytea[]) WITH ORDINALITY AS u (data, ord)
  )
  SELECT ${DOCUMENT_COLUMNS} FROM doc`;

export class PostgresDocStore implements DocStore {
  private readonly calls = new StoreCalls();

  private constructor(private readonly pool: pg.Pool) {}

  /**
   * Connects, and creates or migrates the schema. Rejects with a message naming the server
   * (never the password) when the URL is not a PostgreSQL URL or the server cannot be reached.
   */
  static async open(options: PostgresDocStoreOptions): Promise<PostgresDocStore> {
    const pool = await openMigratedPool('the PostgreSQL store', options.url, {
      max: options.poolSize ?? 10,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    });
    return new PostgresDocStore(pool);
  }

  load(name: string): Promise<Uint8Array | null> {
    return this.calls.serial(name, async () => (await this.readLog(name))?.merged ?? null);
  }

  /** What `load` returns, with the sequence number of the newest update it holds. */
  loadSequenced(name: string): Promise<SequencedUpdate | null> {
    return this.calls.serial(name, async () => {
      const log = await this.readLog(name);
      return log ? { seq: log.seq, update: log.merged } : null;
    });
  }

  append(
    name: string,
    updates: readonly Uint8Array[],
    options?: AppendOptions,
  ): Promise<PostgresDocInfo> {
    return this.calls.serial(name, async () => {
      assertStorableName(name);
      const bytes = updates.reduce((sum, update) => sum + update.byteLength, 0);
      const result = await this.pool.query<DocumentRow>({
        name: 'weft-append',
        text: APPEND,
        values: [
          name,
          options?.title ?? null,
          updates.length,
          bytes,
          Date.now(),
          updates.map(asBuffer),
        ],
      });
      return toInfo(onlyRow(result.rows, 'append'));
    });
  }

  /**
   * Compacts, unless another store (another relay) is compacting this document right now: one
   * compaction at a time per document, held by a session advisory lock from the read to the
   * COMMIT (a connection that dies releases it). The loser returns the document's info with
   * nothing changed; the winner's compaction keeps every update, the loser's included.
   */
  compact(name: string, snapshot?: Uint8Array): Promise<PostgresDocInfo | null> {
    return this.calls.serial(name, async () => {
      const client = await this.pool.connect();
      let locked = false;
      try {
        locked = await tryCompactionLock(client, name);
        if (!locked) return await this.readInfo(name);
        const rows = await this.readRows(name);
        if (rows === null) return null;
        const last = rows.at(-1);
        if (last === undefined) return await this.readInfo(name);
        const merged = snapshot ? mergeInto(snapshot, rows) : mergeLog(rows.map((r) => r.update));
        return await this.replaceThrough(name, last.seq, merged, client);
      } finally {
        if (locked) await unlockCompaction(client, name).catch(() => undefined);
        client.release();
      }
    });
  }

  /**
   * The newest sequence number of each of `names` (-1 for a document with no update; absent
   * for one never written), in one statement: cluster mode's check for a lost bus message.
   */
  async latestSeqs(names: readonly string[]): Promise<Map<string, number>> {
    this.calls.assertOpen();
    const result = await this.pool.query<{ name: string; next_seq: string }>({
      name: 'weft-latest-seqs',
      text: 'SELECT name, next_seq FROM weft_documents WHERE name = ANY($1::text[])',
      values: [names],
    });
    return new Map(result.rows.map((row) => [row.name, Number(row.next_seq) - 1]));
  }

  info(name: string): Promise<PostgresDocInfo | null> {
    return this.calls.serial(name, () => this.readInfo(name));
  }

  async list(): Promise<PostgresDocInfo[]> {
    this.calls.assertOpen();
    const result = await this.pool.query<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM weft_documents ORDER BY modified DESC`,
    );
    return result.rows.map(toInfo);
  }

  delete(name: string): Promise<boolean> {
    return this.calls.serial(name, async () => {
      // One statement, so one transaction: the log goes with its document row (cascade).
      const result = await this.pool.query<{ removed: number }>(
        `WITH doc AS (DELETE FROM weft_documents WHERE name = $1 RETURNING 1),
              history AS (DELETE FROM weft_checkpoints WHERE name = $1 RETURNING 1),
              ids AS (DELETE FROM weft_checkpoint_ids WHERE name = $1 RETURNING 1),
              authors AS (DELETE FROM weft_authors WHERE name = $1 RETURNING 1)
         SELECT ((SELECT count(*) FROM doc) + (SELECT count(*) FROM history) +
                 (SELECT count(*) FROM authors) + (SELECT count(*) FROM ids))::integer AS removed`,
        [name],
      );
      return onlyRow(result.rows, 'delete').removed > 0;
    });
  }

  setTrashed(name: string, at: number | null): Promise<boolean> {
    return this.calls.serial(name, async () => {
      const result = await this.pool.query(
        'UPDATE weft_documents SET trashed_at = $2 WHERE name = $1',
        [name, at],
      );
      return (result.rowCount ?? 0) > 0;
    });
  }

  setPurged(name: string, at: number | null): Promise<void> {
    return this.calls.serial(name, async () => {
      assertStorableName(name);
      if (at === null) {
        await this.pool.query('DELETE FROM weft_purged WHERE name = $1', [name]);
      } else {
        await this.pool.query(
          `INSERT INTO weft_purged (name, purged_at) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET purged_at = EXCLUDED.purged_at`,
          [name, at],
        );
      }
    });
  }

  purgedAt(name: string): Promise<number | null> {
    return this.calls.serial(name, async () => {
      const result = await this.pool.query<{ purged_at: string }>(
        'SELECT purged_at FROM weft_purged WHERE name = $1',
        [name],
      );
      const row = result.rows[0];
      return row === undefined ? null : Number(row.purged_at);
    });
  }

  async forgetPurgedBefore(cutoff: number): Promise<number> {
    this.calls.assertOpen();
    const result = await this.pool.query('DELETE FROM weft_purged WHERE purged_at <= $1', [cutoff]);
    return result.rowCount ?? 0;
  }

  addCheckpoint(name: string, checkpoint: NewCheckpoint): Promise<CheckpointInfo> {
    return this.calls.serial(name, () => {
      assertStorableName(name);
      return history.addCheckpoint(this.pool, name, checkpoint);
    });
  }

  addCheckpointUnless(
    name: string,
    checkpoint: NewCheckpoint,
    covered: CheckpointCovered,
  ): Promise<CheckpointInfo | null> {
    return this.calls.serial(name, () => {
      assertStorableName(name);
      return history.addCheckpointUnless(this.pool, name, checkpoint, covered);
    });
  }

  listCheckpoints(name: string): Promise<CheckpointInfo[]> {
    return this.calls.serial(name, () => history.listCheckpoints(this.pool, name));
  }

  loadCheckpoint(name: string, id: string): Promise<Checkpoint | null> {
    return this.calls.serial(name, () => history.loadCheckpoint(this.pool, name, id));
  }

  deleteCheckpoints(name: string, ids: readonly string[]): Promise<number> {
    return this.calls.serial(name, () => history.deleteCheckpoints(this.pool, name, ids));
  }

  saveAuthors(name: string, authors: ReadonlyMap<number, Author>): Promise<void> {
    return this.calls.serial(name, () => {
      assertStorableName(name);
      return history.saveAuthors(this.pool, name, authors);
    });
  }

  loadAuthors(name: string): Promise<Map<number, Author>> {
    return this.calls.serial(name, () => history.loadAuthors(this.pool, name));
  }

  /**
   * The updates with sequence numbers above `seq`, in order: what a relay that has applied
   * everything up to `seq` may lack. Empty for an unknown document.
   */
  updatesAfter(name: string, seq: number): Promise<SequencedUpdate[]> {
    return this.calls.serial(name, async () => {
      const result = await this.pool.query<{ seq: string; data: Buffer }>({
        name: 'weft-updates-after',
        text: 'SELECT seq, data FROM weft_updates WHERE name = $1 AND seq > $2 ORDER BY seq',
        values: [name, seq],
      });
      return result.rows.map((row) => ({ seq: Number(row.seq), update: asBytes(row.data) }));
    });
  }

  async close(): Promise<void> {
    if (await this.calls.close()) await this.pool.end();
  }

  private async readInfo(name: string): Promise<PostgresDocInfo | null> {
    const result = await this.pool.query<DocumentRow>({
      name: 'weft-info',
      text: `SELECT ${DOCUMENT_COLUMNS} FROM weft_documents WHERE name = $1`,
      values: [name],
    });
    const [row] = result.rows;
    return row ? toInfo(row) : null;
  }

  /** The whole log in order, read in one statement (one snapshot); null: no such document. */
  private async readRows(name: string): Promise<SequencedUpdate[] | null> {
    const result = await this.pool.query<{ seq: string | null; data: Buffer | null }>({
      name: 'weft-read-log',
      text: `SELECT u.seq, u.data FROM weft_documents d
             LEFT JOIN weft_updates u ON u.name = d.name
             WHERE d.name = $1 ORDER BY u.seq`,
      values: [name],
    });
    if (result.rows.length === 0) return null;
    const rows: SequencedUpdate[] = [];
    for (const row of result.rows) {
      if (row.seq !== null && row.data !== null) {
        rows.push({ seq: Number(row.seq), update: asBytes(row.data) });
      }
    }
    return rows;
  }

  private async readLog(name: string): Promise<{ merged: Uint8Array; seq: number } | null> {
    const rows = await this.readRows(name);
    if (rows === null) return null;
    return { merged: mergeLog(rows.map((row) => row.update)), seq: rows.at(-1)?.seq ?? -1 };
  }

  /**
   * In one transaction: deletes the rows numbered up to `through` and stores `merged` under
   * `through`. Null when the document was deleted meanwhile.
   */
  private async replaceThrough(
    name: string,
    through: number,
    merged: Uint8Array,
    client: pg.PoolClient,
  ): Promise<PostgresDocInfo | null> {
    try {
      await client.query('BEGIN');
      const locked = await client.query('SELECT 1 FROM weft_documents WHERE name = $1 FOR UPDATE', [
        name,
      ]);
      if (locked.rowCount === 0) {
        await client.query('ROLLBACK');
        return null;
      }
      const deleted = await client.query<{ rows: number; bytes: string }>(
        `WITH gone AS (
           DELETE FROM weft_updates WHERE name = $1 AND seq <= $2 RETURNING octet_length(data) AS n
         )
         SELECT count(*)::integer AS rows, coalesce(sum(n), 0)::bigint AS bytes FROM gone`,
        [name, through],
      );
      const gone = onlyRow(deleted.rows, 'compaction');
      await client.query('INSERT INTO weft_updates (name, seq, data) VALUES ($1, $2, $3)', [
        name,
        through,
        asBuffer(merged),
      ]);
      const updated = await client.query<DocumentRow>(
        `UPDATE weft_documents SET updates = updates - $2 + 1, bytes = bytes - $3 + $4
         WHERE name = $1 RETURNING ${DOCUMENT_COLUMNS}`,
        [name, gone.rows, gone.bytes, merged.byteLength],
      );
      await client.query('COMMIT');
      return toInfo(onlyRow(updated.rows, 'compaction'));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

/** Advisory-lock key space of compactions (the first of the two 32-bit keys). */
export const COMPACTION_LOCK_CLASS = 0x77656674; // 'weft'

async function tryCompactionLock(client: pg.PoolClient, name: string): Promise<boolean> {
  const result = await client.query<{ locked: boolean }>(
    'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
    [COMPACTION_LOCK_CLASS, name],
  );
  return onlyRow(result.rows, 'compaction lock').locked;
}

async function unlockCompaction(client: pg.PoolClient, name: string): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [COMPACTION_LOCK_CLASS, name]);
}

/**
 * `snapshot` with every row applied to it. Rows it already holds change nothing, and then the
 * snapshot itself is kept, byte for byte; a row it lacks (another relay's) is merged in.
 */
function mergeInto(snapshot: Uint8Array, rows: readonly SequencedUpdate[]): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, snapshot);
  const seen = { changed: false };
  doc.on('update', () => (seen.changed = true));
  doc.transact(() => {
    for (const row of rows) Y.applyUpdate(doc, row.update);
  });
  const merged = seen.changed ? Y.encodeStateAsUpdate(doc) : snapshot;
  doc.destroy();
  return merged;
}

function toInfo(row: DocumentRow): PostgresDocInfo {
  return {
    name: row.name,
    ...(row.title === null ? {} : { title: row.title }),
    updates: row.updates,
    bytes: Number(row.bytes),
    modified: Number(row.modified),
    ...(row.trashed_at === null ? {} : { trashedAt: Number(row.trashed_at) }),
    seq: Number(row.next_seq) - 1,
  };
}
