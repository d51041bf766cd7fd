/**
 * Presence across relays, with relays as processes that can be SIGKILLed: a user's cursor on
 * one relay reaches users of the other; when its relay dies it disappears from the others
 * within the stated bound (10 s: heartbeats every 1 s, a relay silent for 5 s is gone); and
 * it comes back once that user reconnects to the other relay.
 */
import { startPostgres, type PostgresProcess } from '@weft/testkit/postgres';
import {
  connectYjsClient,
  startRedis,
  startRelayProcess,
  tempDir,
  waitUntil,
  type RedisProcess,
  type RelayProcess,
  type TempDir,
  type YjsClient,
} from '@weft/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What README "Cluster mode" promises for a dead relay's users. */
const GONE_WITHIN_MS = 10_000;

let pg: PostgresProcess;
let redis: RedisProcess;
let data: TempDir;
const relays: RelayProcess[] = [];
const clients: YjsClient[] = [];
beforeAll(async () => {
  [pg, redis, data] = await Promise.all([startPostgres(), startRedis(), tempDir('weft-presence-')]);
}, 60_000);
afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all(relays.map((relay) => relay.stop('SIGKILL')));
  await Promise.all([pg.remove(), redis.remove(), data.remove()]);
});

const nameOn = (viewer: YjsClient, subject: YjsClient): unknown => {
  const state = viewer.provider.awareness.getStates().get(subject.doc.clientID) as
    { user?: { name?: string } } | undefined;
  return state?.user?.name;
};

describe('presence in cluster mode', () => {
  it(
    'crosses relays, leaves with a SIGKILLed relay, and returns when its user reconnects',
    { timeout: 90_000 },
    async () => {
      const databaseUrl = await pg.createDatabase('presence');
      const env = { WEFT_DATABASE_URL: databaseUrl, WEFT_REDIS_URL: redis.url };
      const [first, second] = await Promise.all(
        ['a', 'b'].map((dir) => startRelayProcess({ dataDir: `${data.path}/${dir}`, env })),
      );
      if (!first || !second) throw new Error('relays did not start');
      relays.push(first, second);
      const ann = connectYjsClient(first.url, 'cursors');
      const bob = connectYjsClient(second.url, 'cursors');
      clients.push(ann, bob);
      ann.provider.awareness.setLocalStateField('user', { name: 'ann' });
      bob.provider.awareness.setLocalStateField('user', { name: 'bob' });
      await waitUntil(
        () => nameOn(bob, ann) === 'ann' && nameOn(ann, bob) === 'bob',
        'each sees the other',
        15_000,
      );

      await first.stop('SIGKILL');
      const killedAt = performance.now();
      await waitUntil(
        () => nameOn(bob, ann) === undefined,
        'ann gone for bob',
        GONE_WITHIN_MS + 5000,
      );
      expect(performance.now() - killedAt).toBeLessThan(GONE_WITHIN_MS);
      // Bob's own presence is not touched by the other relay's death.
      expect(nameOn(bob, bob)).toBe('bob');

      // Ann's tab reconnects, as a load balancer would send it, to the relay still running,
      // and moves her cursor there.
      ann.provider.serverUrl = second.url.replace(/^http/, 'ws');
      await waitUntil(() => ann.provider.wsconnected, 'ann reconnected', 15_000);
      ann.provider.awareness.setLocalStateField('cursor', { anchor: 0, head: 0 });
      await waitUntil(() => nameOn(bob, ann) === 'ann', 'ann back for bob', 5000);
    },
  );
});
