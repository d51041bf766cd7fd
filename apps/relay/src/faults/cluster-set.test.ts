/**
 * Jepsen-style set test of cluster mode: three relay processes on one PostgreSQL and one
 * Redis, writers inserting unique tokens through random relays, and faults:
 *
 * - SIGKILL a random relay (restarted a moment later on the same port);
 * - SIGKILL Redis and restart it empty;
 * - SIGSTOP PostgreSQL for 3 s: no acknowledgement may arrive while it is frozen (beyond the
 *   ones already on their way when it froze), a relay is SIGKILLed before it runs again, and
 *   acknowledgements resume once it does.
 *
 * Writers forget everything when their connection drops (a fresh Y.Doc each time), so an
 * acknowledged token can only survive on the server. At the end, after a quiet phase, a fresh
 * reader on every relay must hold every acknowledged token, all relays must agree, and so
 * must PostgreSQL itself.
 *
 * WEFT_CLUSTER_FAULTS (default 3) sets the number of faults; WEFT_SEED replays.
 * Negative control: WEFT_UNSAFE_ACK_BEFORE_COMMIT=1 in the environment (the relays inherit
 * it) acknowledges before COMMIT, and this test must then fail.
 */
import { PostgresDocStore } from '@weft/storage';
import { startPostgres, type PostgresProcess } from '@weft/testkit/postgres';
import {
  connectYjsClient,
  lostTokens,
  Random,
  seedFromEnv,
  startRedis,
  startRelayProcess,
  tempDir,
  TokenWriter,
  waitUntil,
  type RedisProcess,
  type RelayProcess,
  type TempDir,
  type YjsClient,
} from '@weft/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

const FAULTS = Number(process.env.WEFT_CLUSTER_FAULTS ?? 3);
const RELAYS = 3;
const WRITERS = 3;
const DOC = 'cluster-set';
const seed = seedFromEnv();

/** Waits a scheduled, seeded amount of time: when the next fault lands, not a sleep for state. */
function faultAfter(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Slot {
  relay: RelayProcess | null;
  readonly dataDir: string;
  port: number;
}

interface Incarnation {
  readonly writer: TokenWriter;
  retired: boolean;
}

describe(`cluster set test (seed ${seed}; replay with WEFT_SEED=${seed})`, () => {
  let pg: PostgresProcess | undefined;
  let redis: RedisProcess | undefined;
  let data: TempDir | undefined;
  const slots: Slot[] = [];
  const clients = new Set<YjsClient>();
  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const slot of slots) if (slot.relay) await slot.relay.stop('SIGKILL');
    pg?.resume();
    await Promise.all([pg?.remove(), redis?.remove(), data?.remove()]);
  });

  it(
    `keeps every acknowledged token through ${FAULTS} faults across ${RELAYS} relays`,
    { timeout: 300_000 },
    async () => {
      const random = new Random(seed);
      [pg, redis, data] = await Promise.all([
        startPostgres(),
        startRedis(),
        tempDir('weft-cluster-set-'),
      ]);
      const postgres = pg;
      const bus = redis;
      const databaseUrl = await postgres.createDatabase('cluster_set');
      // Small compaction thresholds, so that relays compact concurrently with each other's writes.
      const env = {
        WEFT_DATABASE_URL: databaseUrl,
        WEFT_REDIS_URL: bus.url,
        WEFT_COMPACT_UPDATES: '40',
      };
      const boot = async (slot: Slot): Promise<void> => {
        slot.relay = await startRelayProcess({ dataDir: slot.dataDir, port: slot.port, env });
        slot.port = slot.relay.port;
      };
      for (let i = 0; i < RELAYS; i++)
        slots.push({ relay: null, dataDir: `${data.path}/r${i}`, port: 0 });
      await Promise.all(slots.map(boot));
      const live = (): RelayProcess[] =>
        slots.flatMap((slot) => (slot.relay === null ? [] : [slot.relay]));

      // Writers: one incarnation at a time per writer; a dropped connection retires it.
      const acknowledged = new Set<string>();
      const incarnations: Incarnation[][] = Array.from({ length: WRITERS }, () => []);
      let writing = true;
      const current = (): Incarnation[] =>
        incarnations.flatMap((list) => list.filter((inc) => !inc.retired));
      const ackedNow = (): number =>
        acknowledged.size + current().reduce((n, inc) => n + inc.writer.acknowledged().length, 0);
      const retire = (inc: Incarnation): void => {
        if (inc.retired) return;
        inc.retired = true;
        inc.writer.stop();
        for (const token of inc.writer.acknowledged()) acknowledged.add(token);
        inc.writer.client.destroy();
        clients.delete(inc.writer.client);
      };
      const spawn = (w: number): void => {
        if (!writing) return;
        const target = random.pick(live());
        const client = connectYjsClient(target.url, DOC);
        clients.add(client);
        const list = incarnations[w] ?? [];
        const inc: Incarnation = {
          writer: new TokenWriter(client, `w${w}.${list.length}`),
          retired: false,
        };
        list.push(inc);
        let opened = false;
        client.provider.on('status', ({ status }: { status: string }) => {
          if (status === 'connected' && !opened) {
            opened = true;
            inc.writer.start(random, 30);
          }
          // Forget everything: whatever was not acknowledged is this writer's loss, not the relay's.
          if (status === 'disconnected' && !inc.retired) {
            retire(inc);
            setTimeout(() => spawn(w), 100);
          }
        });
      };
      for (let w = 0; w < WRITERS; w++) spawn(w);
      await waitUntil(() => ackedNow() > 10, 'first acknowledgements', 30_000);

      const faults = ['relay', 'redis', 'postgres'] as const;
      for (let round = 0; round < FAULTS; round++) {
        await faultAfter(random.int(500, 2000));
        // Every kind once in the first three rounds, then at random.
        const fault = round < faults.length ? faults[round] : random.pick([...faults]);
        const before = ackedNow();
        if (fault === 'relay') {
          const slot = random.pick(slots.filter((s) => s.relay !== null));
          await slot.relay?.stop('SIGKILL');
          slot.relay = null;
          await faultAfter(random.int(200, 1500));
          await boot(slot);
        } else if (fault === 'redis') {
          await bus.kill();
          await faultAfter(random.int(500, 2000));
          await bus.restart({ empty: true });
        } else {
          postgres.pause();
          // Acknowledgements already on their way when PostgreSQL froze may still land.
          await faultAfter(500);
          const frozenAt = ackedNow();
          await faultAfter(2500);
          expect(ackedNow(), `round ${round}: acknowledged while PostgreSQL was frozen`).toBe(
            frozenAt,
          );
          const slot = random.pick(slots.filter((s) => s.relay !== null));
          await slot.relay?.stop('SIGKILL');
          slot.relay = null;
          postgres.resume();
          await boot(slot);
          await waitUntil(() => ackedNow() > frozenAt, `round ${round}: acks resume`, 30_000);
        }
        await waitUntil(
          () => ackedNow() > before,
          `round ${round}: writing goes on after ${fault}`,
          30_000,
        );
      }

      writing = false;
      for (const inc of current()) retire(inc);
      expect(acknowledged.size).toBeGreaterThan(FAULTS * 5);

      // Quiet phase: every relay serves every acknowledged token, and all agree.
      const readers = live().map((relay) => {
        const reader = connectYjsClient(relay.url, DOC, { savedAcks: false });
        clients.add(reader);
        return reader;
      });
      const texts = (): string[] => readers.map((reader) => reader.text.toString());
      try {
        await waitUntil(
          () =>
            readers.every((r) => r.provider.synced) &&
            texts().every(
              (text) => lostTokens(acknowledged, text).length === 0 && text === texts()[0],
            ),
          'every relay holds every acknowledged token and all agree',
          30_000,
        );
      } catch (error) {
        readers.forEach((reader, i) => {
          expect(
            lostTokens(acknowledged, reader.text.toString()),
            `relay ${i} lost tokens`,
          ).toEqual([]);
        });
        throw error;
      }
      const store = await PostgresDocStore.open({ url: databaseUrl });
      try {
        const stored = new Y.Doc();
        Y.applyUpdate(stored, (await store.load(DOC)) ?? new Uint8Array());
        expect(
          lostTokens(acknowledged, stored.getText('content').toString()),
          'PostgreSQL lost tokens',
        ).toEqual([]);
      } finally {
        await store.close();
      }
      process.stdout.write(
        `cluster set test: seed ${seed}, ${FAULTS} faults, ${acknowledged.size} acknowledged tokens, none lost\n`,
      );
    },
  );
});
