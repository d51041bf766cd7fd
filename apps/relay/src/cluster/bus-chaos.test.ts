/**
 * Convergence through a bad bus: three relays in this process whose Redis deliveries are
 * delayed (0–300 ms, so reordered), duplicated and dropped at random, while clients on all of
 * them type. After a quiet phase every client holds every token and all replicas are equal:
 * sequence numbers skip duplicates, gaps are repaired from PostgreSQL, and the periodic
 * check finds a lost last message. WEFT_SEED replays.
 */
import { startPostgres, type PostgresProcess } from '@weft/testkit/postgres';
import {
  lostTokens,
  Random,
  seedFromEnv,
  startRedis,
  TokenWriter,
  waitUntil,
  type RedisProcess,
} from '@weft/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { useClusterHarness } from './cluster-test-support';

const seed = seedFromEnv();
let pg: PostgresProcess;
let redis: RedisProcess;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([pg.remove(), redis.remove()]);
});

describe(`cluster bus with delays, duplicates and drops (seed ${seed}; WEFT_SEED=${seed})`, () => {
  const harness = useClusterHarness();

  it('converges after a quiet phase, every token everywhere', { timeout: 60_000 }, async () => {
    const random = new Random(seed);
    const faults = { dropped: 0, duplicated: 0, delivered: 0 };
    const intercept = (_channel: string, deliver: () => void): void => {
      const roll = random.next();
      if (roll < 0.2) {
        faults.dropped++;
        return;
      }
      const copies = roll < 0.4 ? 2 : 1;
      if (copies === 2) faults.duplicated++;
      for (let i = 0; i < copies; i++) {
        setTimeout(
          () => {
            faults.delivered++;
            deliver();
          },
          random.int(0, 300),
        );
      }
    };
    const db = await pg.createDatabase('chaos');
    const relays = await Promise.all(
      [0, 1, 2].map(() => harness.start(db, redis.url, { intercept, checkIntervalMs: 500 })),
    );
    const writers = relays.flatMap((relay, r) =>
      [0, 1].map((w) => new TokenWriter(harness.connect(relay, 'chaos'), `r${r}w${w}`)),
    );
    await waitUntil(() => writers.every((w) => w.client.provider.synced), 'writers synced', 20_000);
    for (const writer of writers) writer.start(random, 40);
    // The chaos phase's length (the workload), not a wait for a state.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const writer of writers) writer.stop();

    const written = writers.flatMap((writer) => writer.all());
    const texts = (): string[] => writers.map((w) => w.client.text.toString());
    try {
      await waitUntil(
        () =>
          texts().every((text) => text === texts()[0] && lostTokens(written, text).length === 0),
        'every replica holds every token',
        20_000,
      );
    } catch (error) {
      writers.forEach((w) => {
        expect(lostTokens(written, w.client.text.toString()), `${w.prefix} lacks`).toEqual([]);
      });
      throw error;
    }
    const vectors = new Set(
      writers.map((w) =>
        JSON.stringify([...Y.decodeStateVector(Y.encodeStateVector(w.client.doc))].sort()),
      ),
    );
    expect(vectors.size).toBe(1);
    expect(faults.dropped).toBeGreaterThan(0);
    expect(faults.duplicated).toBeGreaterThan(0);
    await waitUntil(() => writers.every((w) => w.client.isSaved()), 'all saved', 10_000);
  });
});
