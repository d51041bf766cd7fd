/**
 * The PostgreSQL store's history and authorship: checkpoints (`weft_checkpoints`, ids from
 * `weft_checkpoint_ids`) and the authorship table (`weft_authors`). Plain records beside the
 * log; each call is one statement, hence one transaction, but for `addCheckpointUnless`.
 * PostgresDocStore calls these inside its per-document queue.
 */
import type pg from 'pg';
import type {
  Author,
  Checkpoint,
  CheckpointCovered,
  CheckpointInfo,
  NewCheckpoint,
} from './doc-store';
import { asBuffer, asBytes, onlyRow } from './postgres-rows';
import { inLockedTransaction } from './postgres-transaction';

interface CheckpointRow {
  id: string;
  info: Omit<NewCheckpoint, 'state'>;
  bytes: number;
}

/** Checkpoint ids are positive integers that fit a bigint; anything else names none. */
const CHECKPOINT_ID = /^[1-9]\d{0,17}$/;

/** Advisory-lock key space of checkpoint decisions (the first of the two 32-bit keys). */
export const CHECKPOINT_LOCK_CLASS = 0x77636b70; // 'wckp'

/** A document's checkpoints without their states, in the order every store lists them. */
const CHECKPOINTS_NEWEST_FIRST = `SELECT id, info, octet_length(state) AS bytes FROM weft_checkpoints
  WHERE name = $1 ORDER BY created_at DESC, id DESC`;

/** `pool` or one connection inside a transaction: addCheckpoint runs on either. */
type Queryable = Pick<pg.Pool, 'query'>;

export async function addCheckpoint(
  db: Queryable,
  name: string,
  checkpoint: NewCheckpoint,
): Promise<CheckpointInfo> {
  const { state, ...described } = checkpoint;
  // The id counter's row stays locked until COMMIT, so relays sharing the database never
  // hand out one id twice.
  const result = await db.query<{ id: string }>(
    `WITH next AS (
       INSERT INTO weft_checkpoint_ids AS c (name, last_id) VALUES ($1, 1)
       ON CONFLICT (name) DO UPDATE SET last_id = c.last_id + 1
       RETURNING last_id
     )
     INSERT INTO weft_checkpoints (name, id, created_at, info, state)
     SELECT $1, next.last_id, $2, $3, $4 FROM next
     RETURNING id`,
    [name, checkpoint.createdAt, JSON.stringify(described), asBuffer(state)],
  );
  return { ...described, id: onlyRow(result.rows, 'checkpoint').id, bytes: state.byteLength };
}

/**
 * In one transaction holding the document's checkpoint lock: reads the newest checkpoint and
 * stores this one unless `covered`. The lock makes a second relay wait for the first's COMMIT
 * and then read what it stored; reading alone would not (each would read before the other's
 * insert).
 */
export function addCheckpointUnless(
  pool: pg.Pool,
  name: string,
  checkpoint: NewCheckpoint,
  covered: CheckpointCovered,
): Promise<CheckpointInfo | null> {
  return inLockedTransaction(pool, [CHECKPOINT_LOCK_CLASS, name], async (client) => {
    const newest = await client.query<CheckpointRow>(`${CHECKPOINTS_NEWEST_FIRST} LIMIT 1`, [name]);
    const [row] = newest.rows;
    if (covered(row ? toCheckpointInfo(row) : null)) return null;
    return addCheckpoint(client, name, checkpoint);
  });
}

export async function listCheckpoints(pool: pg.Pool, name: string): Promise<CheckpointInfo[]> {
  const result = await pool.query<CheckpointRow>(CHECKPOINTS_NEWEST_FIRST, [name]);
  return result.rows.map(toCheckpointInfo);
}

export async function loadCheckpoint(
  pool: pg.Pool,
  name: string,
  id: string,
): Promise<Checkpoint | null> {
  if (!CHECKPOINT_ID.test(id)) return null;
  const result = await pool.query<CheckpointRow & { state: Buffer }>(
    `SELECT id, info, octet_length(state) AS bytes, state FROM weft_checkpoints
     WHERE name = $1 AND id = $2`,
    [name, id],
  );
  const [row] = result.rows;
  return row ? { ...toCheckpointInfo(row), state: asBytes(row.state) } : null;
}

export async function deleteCheckpoints(
  pool: pg.Pool,
  name: string,
  ids: readonly string[],
): Promise<number> {
  const valid = [...new Set(ids)].filter((id) => CHECKPOINT_ID.test(id));
  if (valid.length === 0) return 0;
  const result = await pool.query(
    'DELETE FROM weft_checkpoints WHERE name = $1 AND id = ANY($2::bigint[])',
    [name, valid],
  );
  return result.rowCount ?? 0;
}

export async function saveAuthors(
  pool: pg.Pool,
  name: string,
  authors: ReadonlyMap<number, Author>,
): Promise<void> {
  const table: Record<string, Author> = {};
  for (const [clientId, author] of authors) {
    if (!Number.isInteger(clientId) || clientId < 0 || clientId > 0xffffffff) {
      throw new Error(`invalid Yjs client id ${clientId}`);
    }
    table[String(clientId)] = toAuthor(author);
  }
  if (authors.size === 0) return;
  await pool.query(
    `INSERT INTO weft_authors (name, client_id, author)
     SELECT $1, key::bigint, value FROM jsonb_each($2::jsonb)
     ON CONFLICT (name, client_id) DO UPDATE SET author = EXCLUDED.author`,
    [name, JSON.stringify(table)],
  );
}

export async function loadAuthors(pool: pg.Pool, name: string): Promise<Map<number, Author>> {
  const result = await pool.query<{ client_id: string; author: Author }>(
    'SELECT client_id, author FROM weft_authors WHERE name = $1',
    [name],
  );
  return new Map(result.rows.map((row) => [Number(row.client_id), toAuthor(row.author)]));
}

function toCheckpointInfo(row: CheckpointRow): CheckpointInfo {
  if (typeof row.info !== 'object' || typeof row.info.createdAt !== 'number') {
    throw new Error(`corrupt checkpoint ${row.id}: ${JSON.stringify(row.info)}`);
  }
  return { ...row.info, id: row.id, bytes: row.bytes };
}

/** Only the fields an Author has, whatever else the caller's object or the row carried. */
function toAuthor(author: Author): Author {
  return {
    id: author.id,
    name: author.name,
    ...(author.color === undefined ? {} : { color: author.color }),
  };
}
