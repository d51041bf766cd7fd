/**
 * The CLI's way into cluster mode (main.ts): with `--redis-url`, connects to Redis and wraps
 * the PostgreSQL store; without it, changes nothing. A Redis URL without a database URL is
 * a configuration error (exit 2): Redis holds nothing, so a cluster needs PostgreSQL.
 *
 * `WEFT_UNSAFE_ACK_BEFORE_COMMIT=1` is a test-only negative control (doc-persister.ts): the
 * relay then acknowledges edits before storing them, and says so loudly in its log.
 */
import { PostgresDocStore, type DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { ConfigError } from '../config-error';
import type { RelayMetrics } from '../metrics';
import { Cluster, RedisUnreachableError } from './cluster';

export interface Joined {
  readonly store: DocStore;
  readonly cluster: Cluster | null;
  /** What to add to the relay's options. */
  readonly options: { readonly cluster?: Cluster; readonly unsafeAckBeforeCommit?: boolean };
}

export { RedisUnreachableError };

export async function joinCluster(
  config: { readonly redisUrl: string | null; readonly databaseUrl: string | null },
  store: DocStore,
  log: Logger,
  metrics: RelayMetrics,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Joined> {
  const unsafeAckBeforeCommit = env.WEFT_UNSAFE_ACK_BEFORE_COMMIT === '1';
  if (unsafeAckBeforeCommit) {
    log.warn(
      'WEFT_UNSAFE_ACK_BEFORE_COMMIT=1: edits are acknowledged BEFORE they are stored (test only)',
    );
  }
  const unsafe = unsafeAckBeforeCommit ? { unsafeAckBeforeCommit } : {};
  if (config.redisUrl === null) return { store, cluster: null, options: unsafe };
  if (config.databaseUrl === null || !(store instanceof PostgresDocStore)) {
    throw new ConfigError(
      'cluster mode (--redis-url / WEFT_REDIS_URL) needs PostgreSQL: set --database-url / WEFT_DATABASE_URL too',
    );
  }
  const cluster = await Cluster.start({ redisUrl: config.redisUrl, store, log, metrics });
  return { store: cluster.store, cluster, options: { ...unsafe, cluster } };
}
