/**
 * Opening a PostgreSQL database for Weft: a connection pool, the schema brought up to date
 * (postgres-schema.ts), and errors that name the server but never the password. The document
 * store and the revocation log open their pools this way.
 */
import pg from 'pg';
import { migrate } from './postgres-schema';

export interface PoolSettings {
  /** Connections at most. */
  readonly max: number;
  /** How long a connection attempt may take. Default: pg's (no limit). */
  readonly connectTimeoutMs?: number;
}

/**
 * Connects, and creates or migrates the schema. Rejects with `cannot open <what> at <server>`
 * when the URL is not a PostgreSQL URL or the server cannot be reached or migrated.
 */
export async function openMigratedPool(
  what: string,
  url: string,
  settings: PoolSettings,
): Promise<pg.Pool> {
  const where = describeDatabaseUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.max,
    ...(settings.connectTimeoutMs === undefined
      ? {}
      : { connectionTimeoutMillis: settings.connectTimeoutMs }),
    keepAlive: true,
  });
  // An idle connection that the server closed (restart, failover) is dropped by the pool and
  // replaced on next use; calls in flight see their own error. Unhandled, it would crash.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrate(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot open ${what} at ${where}: ${reason || String(error)}`, {
      cause: error,
    });
  }
  return pool;
}

/**
 * The URL for messages and logs: scheme, user, host, port and database, never the password.
 * Throws for anything that is not a postgres:// or postgresql:// URL.
 */
export function describeDatabaseUrl(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed === null || !/^postgres(ql)?:$/.test(parsed.protocol) || parsed.host === '') {
    throw new Error(
      'the database URL must look like postgres://user:password@host:5432/database, got ' +
        JSON.stringify(url.replace(/:[^:@/]*@/, ':***@')),
    );
  }
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
