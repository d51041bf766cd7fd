/**
 * Relays in cluster mode in this process, on one real PostgreSQL and one real Redis, for
 * integration tests: everything started through the harness is stopped after each test.
 */
import { PostgresDocStore } from '@weft/storage';
import { connectYjsClient, type YjsClient, type YjsClientOptions } from '@weft/testkit';
import { afterEach } from 'vitest';
import { silentLogger } from '../logger';
import { RelayMetrics } from '../metrics';
import { startRelay, type Relay, type RelayOptions } from '../relay';
import { testRelayOptions, wsUrl } from '../test-support';
import { Cluster, type ClusterOptions } from './cluster';

export interface ClusterRelay {
  readonly relay: Relay;
  readonly cluster: Cluster;
}

type Tuning = Partial<
  Pick<
    ClusterOptions,
    'checkIntervalMs' | 'gapGraceMs' | 'liveness' | 'intercept' | 'eventRetention' | 'log'
  >
>;

export interface ClusterHarness {
  /** A relay in cluster mode on `databaseUrl` and `redisUrl`. */
  start(
    databaseUrl: string,
    redisUrl: string,
    tuning?: Tuning,
    overrides?: Partial<RelayOptions>,
  ): Promise<ClusterRelay>;
  connect(relay: ClusterRelay, docName: string, options?: YjsClientOptions): YjsClient;
  /** A plain store on the database, as a relay whose bus messages are all lost would write. */
  store(databaseUrl: string): Promise<PostgresDocStore>;
}

export function useClusterHarness(): ClusterHarness {
  const clients: YjsClient[] = [];
  const relays: Relay[] = [];
  const stores: PostgresDocStore[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(relays.splice(0).map((relay) => relay.close(2000)));
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });
  return {
    async start(databaseUrl, redisUrl, tuning = {}, overrides = {}) {
      const store = await PostgresDocStore.open({ url: databaseUrl });
      const metrics = new RelayMetrics({ processMetrics: false });
      const log = tuning.log ?? silentLogger();
      const cluster = await Cluster.start({ redisUrl, store, metrics, ...tuning, log });
      const relay = await startRelay(
        { ...testRelayOptions, idleUnloadMs: 60_000, ...overrides, cluster },
        cluster.store,
        log,
        metrics,
      );
      relays.push(relay);
      return { relay, cluster };
    },
    connect(target, docName, options = {}) {
      const client = connectYjsClient(wsUrl(target.relay), docName, options);
      clients.push(client);
      return client;
    },
    async store(databaseUrl) {
      const store = await PostgresDocStore.open({ url: databaseUrl });
      stores.push(store);
      return store;
    },
  };
}
