/**
 * Cluster mode on a real PostgreSQL and a real Redis, with two relays in this process:
 * clients of one document on different relays edit together live; a commit whose bus message
 * is lost is repaired from PostgreSQL (a gap in the numbers, or a lost last message); Redis
 * killed and restarted empty loses no acknowledged edit and the relays converge again without
 * being restarted.
 */
import { startPostgres, type PostgresProcess } from '@weft/testkit/postgres';
import { startRedis, waitUntil, type RedisProcess, type YjsClient } from '@weft/testkit';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docChannel } from './bus-messages';
import { useClusterHarness } from './cluster-test-support';

let pg: PostgresProcess;
let redis: RedisProcess;
let databases = 0;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([pg.remove(), redis.remove()]);
});
const freshDatabase = (): Promise<string> => pg.createDatabase(`cluster_${++databases}`);

/** No periodic check within a test: only the bus, or the repair under test, can deliver. */
const NO_POLLING = { checkIntervalMs: 600_000 };

const textOf = (client: YjsClient): string => client.text.toString();

/** A debug logger that keeps its lines: the channels whose SUBSCRIBE failed (redis-bus.ts). */
function capturedLog(): { log: Logger; failedSubscribes: () => string[] } {
  type Line = { msg?: string; channel?: string };
  const lines: Line[] = [];
  const log = pino(
    { level: 'debug' },
    { write: (line: string) => lines.push(JSON.parse(line) as Line) },
  );
  const failedSubscribes = (): string[] =>
    lines
      .filter((line) => line.msg === 'subscribe failed; retried on reconnect')
      .map((line) => line.channel ?? '');
  return { log, failedSubscribes };
}

/** An update that appends `words` to `doc`'s text, made by a writer of its own. */
function appendedBy(state: Uint8Array, words: string): Uint8Array {
  const writer = new Y.Doc();
  Y.applyUpdate(writer, state);
  const before = Y.encodeStateVector(writer);
  const text = writer.getText('content');
  text.insert(text.length, words);
  return Y.encodeStateAsUpdate(writer, before);
}

describe('cluster mode', () => {
  const harness = useClusterHarness();

  it('lets clients of one document on two relays edit together live, each saved', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([
      harness.start(db, redis.url, NO_POLLING),
      harness.start(db, redis.url, NO_POLLING),
    ]);
    const ann = harness.connect(a, 'live');
    const bob = harness.connect(b, 'live');
    await waitUntil(() => ann.provider.synced && bob.provider.synced, 'both synced');
    ann.text.insert(0, 'hello');
    await waitUntil(() => textOf(bob) === 'hello', 'textOf(bob) === hello', 5000);
    bob.text.insert(5, ' world');
    await waitUntil(() => textOf(ann) === 'hello world', 'textOf(ann) === hello world', 5000);
    await waitUntil(() => ann.isSaved() && bob.isSaved(), 'ann.isSaved() && bob.isSaved()', 5000);
    const stored = await (await harness.store(db)).load('live');
    const check = new Y.Doc();
    Y.applyUpdate(check, stored ?? new Uint8Array());
    expect(check.getText('content').toString()).toBe('hello world');
  });

  it('repairs a gap in the numbers from PostgreSQL when a message is lost', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([
      harness.start(db, redis.url, NO_POLLING),
      harness.start(db, redis.url, NO_POLLING),
    ]);
    const ann = harness.connect(a, 'gap');
    const bob = harness.connect(b, 'gap');
    await waitUntil(() => ann.provider.synced && bob.provider.synced, 'both synced');
    ann.text.insert(0, 'one');
    await waitUntil(
      () => textOf(bob) === 'one' && ann.isSaved(),
      'textOf(bob) === one && ann.isSaved()',
      5000,
    );
    // A third relay commits, and its message never arrives (it lost Redis, not PostgreSQL).
    const silent = await harness.store(db);
    await silent.append('gap', [appendedBy(Y.encodeStateAsUpdate(ann.doc), ' two')]);
    // Ann's next edit is numbered after it: bob's relay sees the gap and reads what it lacks.
    await waitUntil(() => textOf(ann) === 'one', 'textOf(ann) === one', 1000);
    ann.text.insert(0, '>');
    await waitUntil(() => textOf(bob).includes('two'), 'textOf(bob).includes(two)', 5000);
    await waitUntil(() => textOf(ann).includes('two'), 'textOf(ann).includes(two)', 5000);
    expect(textOf(bob)).toBe(textOf(ann));
  });

  it('repairs a lost last message within two periodic checks', async () => {
    const db = await freshDatabase();
    const a = await harness.start(db, redis.url, { checkIntervalMs: 200 });
    const ann = harness.connect(a, 'tail');
    await waitUntil(() => ann.provider.synced, 'synced');
    ann.text.insert(0, 'start');
    await waitUntil(() => ann.isSaved(), 'ann.isSaved()', 5000);
    const silent = await harness.store(db);
    await silent.append('tail', [appendedBy(Y.encodeStateAsUpdate(ann.doc), ' end')]);
    const started = performance.now();
    await waitUntil(() => textOf(ann) === 'start end', 'textOf(ann) === start end', 5000);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('unloads an idle document on one relay (leaving its channel) while another edits it', async () => {
    const db = await freshDatabase();
    const a = await harness.start(db, redis.url, NO_POLLING, { idleUnloadMs: 100 });
    const b = await harness.start(db, redis.url, NO_POLLING);
    const subscribers = async (): Promise<number> => {
      const client = new Redis(redis.url);
      try {
        const reply = (await client.pubsub('NUMSUB', docChannel('idle'))) as [string, number];
        return reply[1];
      } finally {
        client.disconnect();
      }
    };
    const ann = harness.connect(a, 'idle');
    const bob = harness.connect(b, 'idle');
    await waitUntil(() => ann.provider.synced && bob.provider.synced, 'both synced');
    await waitUntil(() => a.cluster.redisConnected, 'a on redis');
    expect(await subscribers()).toBe(2);
    ann.destroy();
    await waitUntil(() => a.relay.rooms.size === 0, 'a unloaded the document', 5000);
    expect(await subscribers()).toBe(1);
    bob.text.insert(0, 'while a had it unloaded');
    await waitUntil(() => bob.isSaved(), 'bob saved', 5000);
    const again = harness.connect(a, 'idle');
    await waitUntil(
      () => textOf(again) === 'while a had it unloaded',
      'a loads what b stored',
      5000,
    );
    const listed = (await (await fetch(`http://127.0.0.1:${a.relay.port}/api/docs`)).json()) as {
      docs: { name: string }[];
    };
    expect(listed.docs.map((doc) => doc.name)).toContain('idle');
  });

  it('shuts down gracefully: everything stored, its users gone from the others at once', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([
      harness.start(db, redis.url, NO_POLLING),
      harness.start(db, redis.url, NO_POLLING),
    ]);
    const ann = harness.connect(a, 'bye');
    const bob = harness.connect(b, 'bye');
    ann.provider.awareness.setLocalStateField('user', { name: 'ann' });
    await waitUntil(
      () => bob.provider.awareness.getStates().has(ann.doc.clientID),
      'bob sees ann',
      5000,
    );
    ann.text.insert(0, 'last words');
    // Received by relay a, not yet necessarily stored: the shutdown must store and publish it.
    await waitUntil(
      () => a.relay.rooms.peek('bye')?.doc.getText('content').toString() === 'last words',
      'relay a has the edit',
      5000,
    );
    const report = await a.relay.close();
    expect(report.complete).toBe(true);
    const closedAt = performance.now();
    await waitUntil(
      () => !bob.provider.awareness.getStates().has(ann.doc.clientID),
      'ann gone for bob',
      5000,
    );
    // Far sooner than a dead relay's 5 s: the relay said goodbye.
    expect(performance.now() - closedAt).toBeLessThan(2000);
    await waitUntil(() => textOf(bob) === 'last words', 'bob has the last edit', 5000);
  });

  it('goes live for a document loaded while Redis was away, once Redis is back', async () => {
    const db = await freshDatabase();
    const logs = [capturedLog(), capturedLog()] as const;
    const [a, b] = await Promise.all([
      harness.start(db, redis.url, { ...NO_POLLING, log: logs[0].log }),
      harness.start(db, redis.url, { ...NO_POLLING, log: logs[1].log }),
    ]);
    await redis.kill();
    const ann = harness.connect(a, 'late');
    const bob = harness.connect(b, 'late');
    await waitUntil(() => ann.provider.synced && bob.provider.synced, 'both synced');
    // Both relays' SUBSCRIBE to the document, sent during the outage, has given up: only the
    // resubscription on reconnect can bring the document live.
    await waitUntil(
      () => logs.every(({ failedSubscribes }) => failedSubscribes().includes(docChannel('late'))),
      'each relay gave up subscribing to the document',
      5000,
    );
    await redis.restart();
    await waitUntil(() => a.cluster.redisConnected && b.cluster.redisConnected, 'back', 10_000);
    ann.text.insert(0, 'after the outage');
    await waitUntil(() => textOf(bob) === 'after the outage', 'bob sees it live', 5000);
  }, 30_000);

  it('loses no acknowledged edit when Redis is killed and restarted empty, and converges without a restart', async () => {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([
      harness.start(db, redis.url, NO_POLLING),
      harness.start(db, redis.url, NO_POLLING),
    ]);
    const ann = harness.connect(a, 'outage');
    const bob = harness.connect(b, 'outage');
    await waitUntil(() => ann.provider.synced && bob.provider.synced, 'both synced');
    ann.text.insert(0, '[a0]');
    await waitUntil(() => textOf(bob) === '[a0]', 'textOf(bob) === [a0]', 5000);

    const readyz = async (): Promise<number> =>
      (await fetch(`http://127.0.0.1:${a.relay.port}/readyz`)).status;
    const metricsText = async (): Promise<string> =>
      (await fetch(`http://127.0.0.1:${a.relay.port}/metrics`)).text();
    expect(await readyz()).toBe(200);
    await redis.kill();
    ann.text.insert(ann.text.length, '[a1]');
    bob.text.insert(0, '[b1]');
    // PostgreSQL still takes every edit: both are saved while Redis is gone.
    await waitUntil(() => ann.isSaved() && bob.isSaved(), 'ann.isSaved() && bob.isSaved()', 5000);
    expect(textOf(ann)).not.toContain('[b1]');

    // No new users for a relay without its bus; its own users keep editing.
    await waitUntil(() => !a.cluster.redisConnected, 'relay a noticed', 5000);
    expect(await readyz()).toBe(503);

    await redis.restart({ empty: true });
    await waitUntil(
      () => textOf(ann).includes('[b1]') && textOf(bob).includes('[a1]'),
      'textOf(ann).includes([b1]) && textOf(bob).includes([a1])',
      10_000,
    );
    expect(textOf(ann)).toBe(textOf(bob));
    expect(await metricsText()).toMatch(/weft_cluster_repairs_total\{reason="reconnect"\} [1-9]/);
    await waitUntil(() => a.cluster.redisConnected, 'relay a reconnected', 5000);
    expect(await readyz()).toBe(200);
    // And live again through the new Redis.
    bob.text.insert(0, '[b2]');
    await waitUntil(() => textOf(ann).includes('[b2]'), 'textOf(ann).includes([b2])', 5000);
  });
});
