/**
 * The live document list and the trash across relays, on a real PostgreSQL and a real Redis
 * with relays in this process: a subscriber on one relay hears of documents created and edited
 * through another, under one sequence of ids; `Last-Event-ID` resumes on another relay after
 * the first one is gone; trashing on one relay closes editors on the other with 4404 and the
 * other refuses new ones until a restore; people are counted across relays, and a relay that
 * falls silent stops counting within the liveness timeout.
 */
import { startPostgres, type PostgresProcess } from '@weft/testkit/postgres';
import { nextClose, startRedis, typeAndSave, waitUntil, type RedisProcess } from '@weft/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSse, type SseMessage, type SseStream } from '../sse-test-support';
import type { ClusterRelay } from './cluster-test-support';
import { useClusterHarness } from './cluster-test-support';
import type { RedisBus } from './redis-bus';

let pg: PostgresProcess;
let redis: RedisProcess;
let databases = 0;
beforeAll(async () => {
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([pg.remove(), redis.remove()]);
});
const freshDatabase = (): Promise<string> => pg.createDatabase(`events_${++databases}`);

/** Events at once, so a test waits for conditions rather than for the 2 s window. */
const QUICK_EVENTS = { eventCoalesceMs: 20 };
const LIVENESS = { liveness: { beatMs: 200, deadAfterMs: 1000 } };

const isDoc = (message: SseMessage): boolean => message.event === 'doc';
const docOf = (message: SseMessage) =>
  JSON.parse(message.data) as {
    name: string;
    title: string | null;
    deleted: boolean;
    people: number;
  };
const about =
  (name: string, more: (doc: ReturnType<typeof docOf>) => boolean = () => true) =>
  (message: SseMessage): boolean =>
    isDoc(message) && docOf(message).name === name && more(docOf(message));
const idsOf = (messages: readonly SseMessage[]): number[] => messages.map((m) => Number(m.id));

function api(target: ClusterRelay, method: string, path: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${target.relay.port}${path}`, { method });
}

async function peopleListed(target: ClusterRelay, name: string): Promise<number | undefined> {
  const body = (await (await api(target, 'GET', '/api/docs')).json()) as {
    docs: { name: string; people: number }[];
  };
  return body.docs.find((doc) => doc.name === name)?.people;
}

describe('the live document list and the trash in cluster mode', () => {
  const harness = useClusterHarness();

  /** Two relays on one fresh database and the shared Redis, publishing events at once. */
  async function twoRelays(): Promise<{ db: string; a: ClusterRelay; b: ClusterRelay }> {
    const db = await freshDatabase();
    const [a, b] = await Promise.all([
      harness.start(db, redis.url, {}, QUICK_EVENTS),
      harness.start(db, redis.url, {}, QUICK_EVENTS),
    ]);
    return { db, a, b };
  }
  const streams: SseStream[] = [];
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  async function events(target: ClusterRelay, headers: Record<string, string> = {}) {
    const stream = await openSse(`http://127.0.0.1:${target.relay.port}/api/events`, headers);
    streams.push(stream);
    await stream.waitFor((m) => m.retry !== null);
    return stream;
  }

  it('tells a subscriber on relay B of a document created and edited through relay A, ids increasing', async () => {
    const { a, b } = await twoRelays();
    const onA = await events(a);
    const onB = await events(b);
    const ann = harness.connect(a, 'shared-list');
    ann.doc.getMap('meta').set('title', 'Plans');
    await typeAndSave(ann, 'first');
    await onB.waitFor(about('shared-list', (doc) => doc.title === 'Plans' && doc.people === 1));
    const before = onB.messages.filter(about('shared-list')).length;
    await typeAndSave(ann, ' second');
    await onB.waitFor(about('shared-list'), before + 1);

    const seenOnB = onB.messages.filter(about('shared-list'));
    const ids = idsOf(seenOnB);
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] ?? 0))).toBe(true);
    // One log: relay A's own subscriber saw the same events under the same ids.
    await onA.waitFor(about('shared-list'), seenOnB.length);
    expect(idsOf(onA.messages.filter(about('shared-list'))).slice(0, ids.length)).toEqual(ids);
  });

  it('replays what a client missed on relay A when it comes back to relay B after A is gone', async () => {
    const { db, a, b } = await twoRelays();
    const watcherOnB = await events(b);
    const first = await events(a);
    const ann = harness.connect(a, 'before-drop');
    await typeAndSave(ann, 'seen');
    const [seen] = (await first.waitFor(about('before-drop'))).slice(-1);
    const lastSeen = Number(seen?.id);
    first.close();

    const bob = harness.connect(a, 'while-away');
    await typeAndSave(bob, 'missed');
    await watcherOnB.waitFor(about('while-away'));
    ann.destroy();
    bob.destroy();
    await a.relay.close(2000);

    const resumed = await events(b, { 'last-event-id': String(lastSeen) });
    await resumed.waitFor(about('while-away'));
    expect(resumed.messages.some((m) => m.event === 'reset')).toBe(false);
    const replayed = resumed.messages.filter(isDoc);
    expect(Math.min(...idsOf(replayed))).toBeGreaterThan(lastSeen);
    expect(replayed.filter(about('before-drop')).every((m) => Number(m.id) > lastSeen)).toBe(true);

    // A relay started afterwards has the log too (loaded from the stream).
    const c = await harness.start(db, redis.url, {}, QUICK_EVENTS);
    const onC = await events(c, { 'last-event-id': String(lastSeen) });
    await onC.waitFor(about('while-away'));
    expect(onC.messages.some((m) => m.event === 'reset')).toBe(false);
    expect(idsOf(onC.messages.filter(isDoc))).toEqual(idsOf(replayed.slice(0, onC.docs().length)));
  });

  it('fills an event lost on the bus from the stream', async () => {
    const db = await freshDatabase();
    let dropping = true;
    let dropped = 0;
    const intercept = (channel: string, deliver: () => void): void => {
      if (channel === 'weft:events' && dropping) dropped++;
      else deliver();
    };
    const [a, b] = await Promise.all([
      harness.start(db, redis.url, {}, QUICK_EVENTS),
      harness.start(db, redis.url, { intercept }, QUICK_EVENTS),
    ]);
    const onA = await events(a);
    const onB = await events(b);
    const ann = harness.connect(a, 'lost-on-the-bus');
    await typeAndSave(ann, 'x');
    await onA.waitFor(about('lost-on-the-bus'));
    await waitUntil(() => dropped > 0, 'relay B lost the event');
    dropping = false;
    expect(onB.messages.filter(about('lost-on-the-bus'))).toEqual([]);

    const bob = harness.connect(a, 'next-one');
    await typeAndSave(bob, 'y');
    await onB.waitFor(about('next-one'));
    const lost = onB.messages.filter(about('lost-on-the-bus'));
    expect(lost.length).toBeGreaterThan(0);
    expect(idsOf(lost)).toEqual(
      idsOf(onA.messages.filter(about('lost-on-the-bus'))).slice(0, lost.length),
    );
    expect(onB.messages.some((m) => m.event === 'reset')).toBe(false);
  });

  it(
    'keeps editing through a Redis outage, then resets subscribers, with ids still increasing',
    { timeout: 30_000 },
    async () => {
      const { a, b } = await twoRelays();
      const onB = await events(b);
      const ann = harness.connect(a, 'through-outage');
      await typeAndSave(ann, 'before');
      const [before] = (await onB.waitFor(about('through-outage'))).slice(-1);
      const lastBefore = Number(before?.id);

      await redis.kill();
      // Publishing fails at once and blocks nothing: the edit is stored.
      await typeAndSave(ann, ' during');
      await redis.restart({ empty: true });
      await waitUntil(() => onB.messages.some((m) => m.event === 'reset'), 'a reset on B', 10_000);
      await waitUntil(
        () => a.cluster.redisConnected && b.cluster.redisConnected,
        'both back',
        10_000,
      );

      await typeAndSave(ann, ' after');
      const later = await onB.waitFor(
        (m) => about('through-outage')(m) && Number(m.id) > lastBefore,
      );
      expect(later.length).toBeGreaterThan(0);
      // A resume from before the outage cannot be trusted: a reset.
      const resumed = await events(b, { 'last-event-id': String(lastBefore) });
      await resumed.waitFor((m) => m.event === 'reset');
    },
  );

  it(
    'closes an editor on relay B with 4404 when relay A trashes the document, and B refuses new ones until a restore',
    { timeout: 20_000 },
    async () => {
      const { db, a, b } = await twoRelays();
      const onB = await events(b);
      const ann = harness.connect(a, 'bin-me');
      await typeAndSave(ann, 'kept through the trash');
      const bob = harness.connect(b, 'bin-me');
      await waitUntil(() => bob.provider.synced, 'bob synced on relay B');
      await onB.waitFor(about('bin-me', (doc) => doc.people === 2));

      const bobClosed = nextClose(bob);
      expect((await api(a, 'DELETE', '/api/docs/bin-me')).status).toBe(200);
      expect(await bobClosed).toEqual({
        code: 4404,
        reason: 'This document was moved to the trash',
      });
      bob.destroy();

      // A new editor on B, with an edit of its own: refused, nothing stored.
      const stored = (await (await harness.store(db)).info('bin-me'))?.bytes;
      const late = harness.connect(b, 'bin-me');
      const lateClosed = nextClose(late);
      late.text.insert(0, 'after the trash ');
      expect((await lateClosed).code).toBe(4404);
      late.destroy();
      expect((await (await harness.store(db)).info('bin-me'))?.bytes).toBe(stored);

      // Every event after the trash says so, B's own (its editor leaving) included.
      await onB.waitFor(about('bin-me', (doc) => doc.deleted && doc.people === 0));
      const all = onB.messages.filter(about('bin-me')).map(docOf);
      const trashedAt = all.findIndex((doc) => doc.deleted);
      expect(all.slice(trashedAt).every((doc) => doc.deleted)).toBe(true);

      expect((await api(a, 'POST', '/api/docs/bin-me/restore')).status).toBe(200);
      const back = harness.connect(b, 'bin-me');
      await waitUntil(
        () => back.text.toString() === 'kept through the trash',
        'the restored document on relay B',
      );
    },
  );

  it(
    'refuses a document deleted for good on relay A on relay B too (4410), its copy on B discarded',
    { timeout: 20_000 },
    async () => {
      const { db, a, b } = await twoRelays();
      const ann = harness.connect(a, 'gone-for-good');
      await typeAndSave(ann, 'soon gone');
      const bob = harness.connect(b, 'gone-for-good');
      await waitUntil(() => bob.provider.synced, 'bob synced on relay B');
      const bobClosed = nextClose(bob);
      expect((await api(a, 'DELETE', '/api/docs/gone-for-good')).status).toBe(200);
      expect((await bobClosed).code).toBe(4404);
      bob.destroy();
      expect((await api(a, 'DELETE', '/api/trash/gone-for-good')).status).toBe(200);
      await waitUntil(() => b.relay.rooms.peek('gone-for-good') === undefined, 'discarded on B');

      const late = harness.connect(b, 'gone-for-good');
      const lateClosed = nextClose(late);
      late.text.insert(0, 'an offline copy');
      expect((await lateClosed).code).toBe(4410);
      late.destroy();
      expect(await (await harness.store(db)).info('gone-for-good')).toBeNull();
    },
  );

  it(
    'counts people across relays, and stops counting a relay that falls silent',
    { timeout: 20_000 },
    async () => {
      const db = await freshDatabase();
      const [a, b, c] = await Promise.all([
        harness.start(db, redis.url, LIVENESS, QUICK_EVENTS),
        harness.start(db, redis.url, LIVENESS, QUICK_EVENTS),
        harness.start(db, redis.url, LIVENESS, QUICK_EVENTS),
      ]);
      const onB = await events(b);
      const ann = harness.connect(a, 'meeting');
      await typeAndSave(ann, 'agenda');
      await onB.waitFor(about('meeting', (doc) => doc.people === 1));
      const bob = harness.connect(b, 'meeting');
      await onB.waitFor(about('meeting', (doc) => doc.people === 2));
      expect(await peopleListed(b, 'meeting')).toBe(2);

      ann.destroy();
      const afterAnn = onB.messages.length;
      await waitUntil(
        () => onB.messages.slice(afterAnn).some(about('meeting', (doc) => doc.people === 1)),
        'ann gone from the count on relay B',
      );
      expect(await peopleListed(b, 'meeting')).toBe(1);

      const cat = harness.connect(c, 'meeting');
      await waitUntil(() => cat.provider.synced, 'cat synced on relay C');
      await onB.waitFor(
        about('meeting', (doc) => doc.people === 2),
        2,
      );
      // Relay C falls silent as a dead one would: no goodbye, no more beats.
      const busOfC = (c.cluster as unknown as { bus: RedisBus }).bus;
      busOfC.commands().disconnect();
      const silentAt = performance.now();
      const afterCat = onB.messages.length;
      await waitUntil(
        () => onB.messages.slice(afterCat).some(about('meeting', (doc) => doc.people === 1)),
        'relay C no longer counted on relay B',
        10_000,
      );
      // Liveness timeout 1 s, checked every 200 ms beat, and some slack for a busy machine.
      expect(performance.now() - silentAt).toBeLessThan(4000);
      expect(await peopleListed(b, 'meeting')).toBe(1);
      bob.destroy();
    },
  );
});
