/**
 * One transaction that holds a transaction-scoped advisory lock: how the PostgreSQL stores
 * make a read-then-write step atomic across every relay sharing the database (migrations,
 * revocation appends, checkpoint decisions). The lock is released with the transaction, by
 * COMMIT, by ROLLBACK, or by the server when the connection dies.
 */
import pg from 'pg';

/** An advisory lock key: one 64-bit key, or a key space and a name hashed into it. */
export type AdvisoryLock = readonly [key: number] | readonly [keySpace: number, name: string];

/**
 * Runs `work` on one connection between BEGIN and COMMIT, after taking `lock`; on any error
 * rolls back and rethrows. Given the pool, it takes a connection for the call and returns it.
 */
export async function inLockedTransaction<T>(
  db: pg.Pool | pg.PoolClient,
  lock: AdvisoryLock,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = db instanceof pg.Pool ? await db.connect() : db;
  try {
    await client.query('BEGIN');
    try {
      await client.query(
        lock.length === 1
          ? 'SELECT pg_advisory_xact_lock($1)'
          : 'SELECT pg_advisory_xact_lock($1, hashtext($2))',
        [...lock],
      );
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    if (client !== db) client.release();
  }
}
