/**
 * Jepsen-style set test against the relay process: writers insert unique tokens while the
 * relay is killed with SIGKILL at random moments and restarted on the same data directory.
 * Every token the relay acknowledged as saved must be on disk after every crash — checked
 * with a fresh reader *before* any surviving writer reconnects and could re-send it — and at
 * the end every replica is identical.
 *
 * WEFT_CRASH_ROUNDS (default 20) sets the number of kills per variant; WEFT_SEED replays.
 */
import {
  connectYjsClient,
  lostTokens,
  Random,
  seedFromEnv,
  startRelayProcess,
  tempDir,
  TokenWriter,
  waitUntil,
  type RelayProcess,
  type TempDir,
  type YjsClient,
} from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

const ROUNDS = Number(process.env.WEFT_CRASH_ROUNDS ?? 20);
const WRITERS = 3;
const DOC = 'crash-set';
const seed = seedFromEnv();

/** Waits a scheduled, seeded amount of time: when the next fault lands, not a sleep for state. */
function faultAfter(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function vectorOf(doc: Y.Doc): string {
  return JSON.stringify(
    [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]),
  );
}

describe(`crash consistency (seed ${seed}; replay with WEFT_SEED=${seed})`, () => {
  const clients = new Set<YjsClient>();
  let relay: RelayProcess | undefined;
  let data: TempDir | undefined;
  afterEach(async () => {
    for (const client of clients) client.destroy();
    clients.clear();
    await relay?.stop('SIGKILL');
    await data?.remove();
  });

  for (const variant of [
    { label: 'at random moments', env: {} },
    { label: 'timed to land during compaction', env: { WEFT_COMPACT_UPDATES: '8' } },
  ]) {
    it(
      `keeps every acknowledged token through ${ROUNDS} kills ${variant.label}`,
      { timeout: 600_000 },
      async () => {
        const random = new Random(seed + variant.label.length);
        data = await tempDir('weft-crash-');
        const dataDir = data.path;
        relay = await startRelayProcess({ dataDir, env: variant.env });
        const port = relay.port;
        const url = relay.url;

        const connect = (savedAcks = true): YjsClient => {
          const client = connectYjsClient(url, DOC, { savedAcks });
          clients.add(client);
          return client;
        };
        const retire = (client: YjsClient): void => {
          client.destroy();
          clients.delete(client);
        };
        const incarnations = Array.from({ length: WRITERS }, () => 0);
        let writers = Array.from(
          { length: WRITERS },
          (_, i) => new TokenWriter(connect(), `w${i}.0`),
        );
        const acknowledged = new Set<string>();
        const recordAcks = () => {
          for (const writer of writers)
            for (const token of writer.acknowledged()) acknowledged.add(token);
        };

        for (let round = 0; round < ROUNDS; round++) {
          await waitUntil(
            () => writers.every((w) => w.client.provider.synced),
            `round ${round}: writers synced`,
            20_000,
          );
          for (const writer of writers) writer.start(random);
          await faultAfter(random.int(20, 250));
          await relay.stop('SIGKILL');
          for (const writer of writers) writer.stop();
          recordAcks();

          // Survivors must not re-send what the relay may have lost before the disk is checked.
          for (const writer of writers) writer.client.provider.disconnect();
          relay = await startRelayProcess({ dataDir, port, env: variant.env });
          const reader = connect(false);
          await waitUntil(() => reader.provider.synced, `round ${round}: fresh reader synced`);
          const lost = lostTokens(acknowledged, reader.text.toString());
          expect(lost, `round ${round}: acknowledged tokens lost after kill -9`).toEqual([]);
          retire(reader);

          // Replace one writer with a fresh client now and then: no memory, no local state.
          if (random.bool(0.35)) {
            const slot = random.int(0, WRITERS - 1);
            const old = writers[slot];
            if (old) retire(old.client);
            incarnations[slot] = (incarnations[slot] ?? 0) + 1;
            writers = writers.map((writer, i) =>
              i === slot ? new TokenWriter(connect(), `w${i}.${incarnations[i] ?? 0}`) : writer,
            );
          }
          for (const writer of writers) writer.client.provider.connect();
        }

        await waitUntil(
          () => writers.every((w) => w.client.provider.synced && w.client.isSaved()),
          'all saved',
          30_000,
        );
        recordAcks();
        await waitUntil(
          () =>
            writers.every((w) => w.client.text.toString() === writers[0]?.client.text.toString()),
          'writers converged',
        );
        const final = writers[0]?.client.text.toString() ?? '';
        const vectors = new Set(writers.map((w) => vectorOf(w.client.doc)));
        expect(vectors.size, `replicas differ in state vector: ${[...vectors].join(' | ')}`).toBe(
          1,
        );
        expect(lostTokens(acknowledged, final), 'acknowledged tokens lost at the end').toEqual([]);
        for (const writer of writers) {
          expect(
            lostTokens(writer.all(), final),
            `surviving writer ${writer.prefix} lost its own tokens`,
          ).toEqual([]);
        }

        const fresh = connect(false);
        await waitUntil(() => fresh.provider.synced, 'fresh reader synced');
        expect(fresh.text.toString()).toBe(final);
        expect(vectorOf(fresh.doc)).toBe([...vectors][0]);
        expect(acknowledged.size).toBeGreaterThan(ROUNDS);
      },
    );
  }
});
