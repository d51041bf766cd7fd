/**
 * `pnpm bench relay --preset cluster`: Weft on PostgreSQL with one relay, and a two-relay
 * cluster (PostgreSQL + Redis), under the same open-loop load. Measures, per variant:
 *
 * - saved-acknowledgement latency: from a writer making an edit to the first type-100
 *   acknowledgement that covers it (so: through the COMMIT);
 * - fan-out latency to a reader on the writer's own relay, and (cluster) on the other relay;
 * - throughput: edits acknowledged per second over the window.
 *
 * Writers alternate between the relays; every document has one reader on each relay. The
 * PostgreSQL and Redis servers are the testkit's (fsync on), on this machine, so the numbers
 * include them competing for the same cores.
 */
import {
  connectYjsClient,
  startRedis,
  startRelayProcess,
  tempDir,
  type RelayProcess,
  type YjsClient,
} from '@weft/testkit';
import { startPostgres } from '@weft/testkit/postgres';
import * as Y from 'yjs';
import { WEFT_LIMITS } from './servers';

export interface ClusterLoadSettings {
  readonly docs: number;
  readonly writersPerDoc: number;
  readonly editsPerSecond: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly drainMs: number;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number | null;
  readonly p99: number | null;
}

export interface ClusterLoadRun {
  readonly variant: 'weft-postgres' | 'weft-cluster';
  readonly relays: number;
  readonly savedAckMs: Percentiles;
  readonly fanOutSameRelayMs: Percentiles;
  readonly fanOutOtherRelayMs: Percentiles | null;
  readonly ackedEditsPerSecond: number;
  readonly undelivered: number;
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number | null =>
    sorted.length === 0
      ? null
      : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? null);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99) };
}

interface Writer {
  readonly client: YjsClient;
  readonly relay: number;
  /** When each of this writer's clocks was made (performance.now()), by clock. */
  readonly madeAt: Map<number, number>;
  acked: number;
}

/** Runs one variant: starts its relays on a fresh database, loads them, stops them. */
async function runVariant(
  variant: ClusterLoadRun['variant'],
  settings: ClusterLoadSettings,
  servers: { databaseUrl: string; redisUrl: string },
  progress: (message: string) => void,
): Promise<ClusterLoadRun> {
  const relayCount = variant === 'weft-cluster' ? 2 : 1;
  const data = await tempDir('weft-bench-cluster-');
  const env: Record<string, string> = { ...WEFT_LIMITS, WEFT_DATABASE_URL: servers.databaseUrl };
  if (variant === 'weft-cluster') env.WEFT_REDIS_URL = servers.redisUrl;
  const relays: RelayProcess[] = [];
  const clients: YjsClient[] = [];
  try {
    for (let i = 0; i < relayCount; i++) {
      relays.push(await startRelayProcess({ dataDir: `${data.path}/r${i}`, env }));
    }
    progress(`${variant}: ${relayCount} relay(s) up, ${settings.docs} documents`);
    let measuring = false;
    const savedAck: number[] = [];
    const sameRelay: number[] = [];
    const otherRelay: number[] = [];
    let ackedInWindow = 0;
    const writers: Writer[] = [];
    const pendingFanOut = new Map<string, number>();
    for (let d = 0; d < settings.docs; d++) {
      const doc = `bench-${variant}-${d}`;
      const docWriters: Writer[] = [];
      for (let w = 0; w < settings.writersPerDoc; w++) {
        const relay = (d + w) % relayCount;
        const client = connectYjsClient(relays[relay]?.url ?? '', doc);
        clients.push(client);
        const writer: Writer = { client, relay, madeAt: new Map(), acked: 0 };
        const handlers = client.provider.messageHandlers as ((e: unknown, d: unknown) => void)[];
        const original = handlers[100];
        handlers[100] = (encoder, decoder) => {
          original?.(encoder, decoder);
          const clock = client.acknowledged?.get(client.doc.clientID) ?? 0;
          for (let c = writer.acked; c < clock; c++) {
            const made = writer.madeAt.get(c);
            if (made === undefined) continue;
            if (measuring) {
              savedAck.push(performance.now() - made);
              ackedInWindow++;
            }
          }
          writer.acked = Math.max(writer.acked, clock);
        };
        docWriters.push(writer);
        writers.push(writer);
      }
      for (let r = 0; r < relayCount; r++) {
        const reader = connectYjsClient(relays[r]?.url ?? '', doc, { savedAcks: false });
        clients.push(reader);
        const seen = new Map<number, number>();
        reader.doc.on('update', () => {
          const vector = Y.decodeStateVector(Y.encodeStateVector(reader.doc));
          const now = performance.now();
          for (const writer of docWriters) {
            const id = writer.client.doc.clientID;
            const to = vector.get(id) ?? 0;
            for (let c = seen.get(id) ?? 0; c < to; c++) {
              const made = writer.madeAt.get(c);
              if (made === undefined) continue;
              pendingFanOut.delete(`${r}:${id}:${c}`);
              if (measuring) (writer.relay === r ? sameRelay : otherRelay).push(now - made);
            }
            seen.set(id, to);
          }
        });
      }
    }
    const deadline = Date.now() + 60_000;
    while (!clients.every((client) => client.provider.synced)) {
      if (Date.now() > deadline) throw new Error('clients did not sync within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Open loop: each writer types at its share of the rate, with a random phase.
    const intervalMs = (1000 * writers.length) / settings.editsPerSecond;
    const timers = writers.map((writer) =>
      setTimeout(() => {
        const timer = setInterval(() => {
          const text = writer.client.text;
          const clock = Y.getState(writer.client.doc.store, writer.client.doc.clientID);
          writer.madeAt.set(clock, performance.now());
          if (measuring) {
            for (let r = 0; r < relayCount; r++)
              pendingFanOut.set(`${r}:${writer.client.doc.clientID}:${clock}`, 0);
          }
          text.insert(text.length, 'x');
        }, intervalMs);
        timers.push(timer);
      }, Math.random() * intervalMs),
    );
    await new Promise((resolve) => setTimeout(resolve, settings.warmupMs));
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, settings.windowMs));
    measuring = false;
    for (const timer of timers) clearInterval(timer);
    await new Promise((resolve) => setTimeout(resolve, settings.drainMs));
    const fanOutOther = relayCount > 1 ? percentiles(otherRelay) : null;
    return {
      variant,
      relays: relayCount,
      savedAckMs: percentiles(savedAck),
      fanOutSameRelayMs: percentiles(sameRelay),
      fanOutOtherRelayMs: fanOutOther,
      ackedEditsPerSecond: Math.round(ackedInWindow / (settings.windowMs / 1000)),
      undelivered: pendingFanOut.size,
    };
  } finally {
    for (const client of clients) client.destroy();
    await Promise.all(relays.map((relay) => relay.stop('SIGTERM')));
    await data.remove();
  }
}

/** Both variants on one PostgreSQL (a database each) and one Redis. */
export async function runClusterLoad(
  settings: ClusterLoadSettings,
  progress: (message: string) => void,
): Promise<ClusterLoadRun[]> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  try {
    const runs: ClusterLoadRun[] = [];
    for (const variant of ['weft-postgres', 'weft-cluster'] as const) {
      const databaseUrl = await pg.createDatabase(variant.replace('-', '_'));
      runs.push(
        await runVariant(variant, settings, { databaseUrl, redisUrl: redis.url }, progress),
      );
    }
    return runs;
  } finally {
    await Promise.all([pg.remove(), redis.remove()]);
  }
}

const ms = (value: number | null | undefined): string =>
  value === null || value === undefined ? '-' : value.toFixed(1);

export function formatClusterLoad(
  runs: readonly ClusterLoadRun[],
  settings: ClusterLoadSettings,
): string {
  const lines = [
    `Weft on PostgreSQL: ${settings.docs} documents x ${settings.writersPerDoc} writers, ${settings.editsPerSecond} edits/s, ${settings.windowMs / 1000} s window`,
    '| variant | relays | saved ack p50 / p99 ms | fan-out same relay p50 / p99 ms | fan-out other relay p50 / p99 ms | acked edits/s | undelivered |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const run of runs) {
    lines.push(
      `| ${run.variant} | ${run.relays} | ${ms(run.savedAckMs.p50)} / ${ms(run.savedAckMs.p99)} | ${ms(run.fanOutSameRelayMs.p50)} / ${ms(run.fanOutSameRelayMs.p99)} | ${run.fanOutOtherRelayMs ? `${ms(run.fanOutOtherRelayMs.p50)} / ${ms(run.fanOutOtherRelayMs.p99)}` : '-'} | ${run.ackedEditsPerSecond} | ${run.undelivered} |`,
    );
  }
  return lines.join('\n');
}
