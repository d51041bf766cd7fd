/**
 * The revocation log in PostgreSQL (table `weft_revocations`, postgres-schema.ts): the list
 * every relay of a cluster shares. Rows are only appended; a relay polls for the rows after
 * the last id it saw (`since`).
 *
 * Ids must become visible in order, or a poller that has seen id 8 would never read an id 7
 * committed after it. A bigserial alone does not give that (ids are taken at INSERT, and
 * transactions commit in any order), so appenders take a transaction-scoped advisory lock
 * first: one revocation is written at a time, which costs nothing at their rate.
 */
import pg from 'pg';
import { openMigratedPool } from './postgres-pool';
import { inLockedTransaction } from './postgres-transaction';

export type RevocationKind = 'token' | 'subject';

export interface RevocationRow {
  readonly id: number;
  readonly kind: RevocationKind;
  readonly key: string;
  /** Seconds since the epoch. */
  readonly at: number;
}

/** The advisory lock that serialises appends ("wrev" in ASCII). */
const APPEND_LOCK = 0x77726576;

export class PostgresRevocationLog {
  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and brings the schema up to date; throws an Error naming the server. */
  static async open(url: string): Promise<PostgresRevocationLog> {
    // Polls and rare appends: two connections are plenty.
    const pool = await openMigratedPool('the revocation list', url, { max: 2 });
    return new PostgresRevocationLog(pool);
  }

  /** Every row with an id above `afterId`, in id order. */
  async since(afterId: number): Promise<RevocationRow[]> {
    const result = await this.pool.query<{
      id: string;
      kind: RevocationKind;
      key: string;
      at: string;
    }>('SELECT id, kind, key, at FROM weft_revocations WHERE id > $1 ORDER BY id', [afterId]);
    return result.rows.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      key: row.key,
      at: Number(row.at),
    }));
  }

  async append(kind: RevocationKind, key: string, at: number): Promise<void> {
    await inLockedTransaction(this.pool, [APPEND_LOCK], (client) =>
      client.query('INSERT INTO weft_revocations (kind, key, at) VALUES ($1, $2, $3)', [
        kind,
        key,
        at,
      ]),
    );
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
