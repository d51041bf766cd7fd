/** Cluster mode's metrics, registered in the relay's own registry (metrics.ts). */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export class ClusterMetrics {
  readonly busLag: Histogram;
  readonly repairs: Counter<'reason'>;
  readonly repairedRows: Counter;
  readonly published: Counter<'result'>;
  readonly malformed: Counter;
  readonly redisConnected: Gauge;
  readonly peers: Gauge;
  readonly databaseSeconds: Histogram<'operation'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.busLag = new Histogram({
      name: 'weft_cluster_bus_lag_seconds',
      help: 'From a relay publishing a committed update to another relay applying it (relay clocks)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.repairs = new Counter({
      name: 'weft_cluster_repairs_total',
      help: 'Reads of missed updates from PostgreSQL, by why (load, gap, tail, reconnect)',
      labelNames: ['reason'] as const,
      registers,
    });
    this.repairedRows = new Counter({
      name: 'weft_cluster_repaired_rows_total',
      help: 'Update rows that repairs read from PostgreSQL',
      registers,
    });
    this.published = new Counter({
      name: 'weft_cluster_published_total',
      help: 'Committed batches published on the bus (sent, or failed: Redis away)',
      labelNames: ['result'] as const,
      registers,
    });
    this.malformed = new Counter({
      name: 'weft_cluster_malformed_messages_total',
      help: 'Bus messages that did not decode and were ignored',
      registers,
    });
    this.redisConnected = new Gauge({
      name: 'weft_cluster_redis_connected',
      help: '1 while both Redis connections are up',
      registers,
    });
    this.peers = new Gauge({
      name: 'weft_cluster_peer_relays',
      help: 'Other relays heard from within the liveness bound',
      registers,
    });
    this.databaseSeconds = new Histogram({
      name: 'weft_cluster_database_seconds',
      help: "Latency of cluster mode's PostgreSQL reads (latest_seqs check, updates_after repair)",
      labelNames: ['operation'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
  }
}
