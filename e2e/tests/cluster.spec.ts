import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import {
  DEPLOY_NGINX_CLUSTER_CONF,
  startNginx,
  startRedis,
  startRelayProcess,
  tempDir,
  type NginxProcess,
  type RedisProcess,
  type RelayProcess,
  type TempDir,
} from '@weft/testkit';
import { startPostgres, type PostgresProcess } from '@weft/testkit/postgres';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/**
 * Cluster mode as deployed: Debian's nginx running the shipped deploy/nginx-cluster.conf
 * (round robin, no stickiness) in front of two relay processes on one PostgreSQL and one
 * Redis. Two users land on different relays and write together; the relay of one of them is
 * SIGKILLed; that user reconnects through nginx to the other relay, loses nothing and reaches
 * "saved"; a third user then reads the same text.
 */
let pg: PostgresProcess | undefined;
let redis: RedisProcess | undefined;
let nginx: NginxProcess | undefined;
let data: TempDir | undefined;
const relays: RelayProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Open WebSocket connections of a relay, from its own /metrics. */
async function connectionsOf(relay: RelayProcess): Promise<number> {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  return Number(/^weft_open_connections (\d+)/m.exec(text)?.[1] ?? 0);
}

test.afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.stop('SIGKILL');
  await nginx?.stop();
  await Promise.all([pg?.remove(), redis?.remove(), data?.remove()]);
});

test('two relays behind nginx: users on both edit together, and one relay dies without loss', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  [pg, redis, data] = await Promise.all([startPostgres(), startRedis(), tempDir('weft-e2e-cl-')]);
  const databaseUrl = await pg.createDatabase('weft');
  const ports = [await freePort(), await freePort()] as const;
  nginx = await startNginx({
    upstreamPort: ports[0],
    moreUpstreamPorts: [ports[1]],
    siteConfig: await readFile(DEPLOY_NGINX_CLUSTER_CONF, 'utf8'),
  });
  const env = {
    WEFT_DATABASE_URL: databaseUrl,
    WEFT_REDIS_URL: redis.url,
    WEFT_TRUST_PROXY: '1',
    WEFT_PUBLIC_URL: nginx.url,
    // The relay package's own copy of the web app (pnpm build puts it there).
    WEB_DIST: new URL('../../apps/relay/dist/web', import.meta.url).pathname,
  };
  relays.push(
    ...(await Promise.all(
      ports.map((port, i) => startRelayProcess({ dataDir: `${data?.path}/r${i}`, port, env })),
    )),
  );
  const docName = uniqueDocName('cluster');
  const address = `${nginx.url}/d/${encodeURIComponent(docName)}`;
  const firstConnection = { timeout: 30_000 };

  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.page.goto(address);
  await expect(ada.status).toHaveAttribute('data-state', 'saved', firstConnection);
  await expect
    .poll(async () => (await Promise.all(relays.map(connectionsOf))).join())
    .toMatch(/^(1,0|0,1)$/);
  const adaRelay = (await connectionsOf(relays[0] as RelayProcess)) === 1 ? 0 : 1;
  const otherRelay = relays[1 - adaRelay] as RelayProcess;

  // Round robin: Grace's socket lands on the other relay within a few page loads.
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  for (let attempt = 0; attempt < 8; attempt++) {
    await grace.page.goto(address);
    await expect(grace.status).toHaveAttribute('data-state', 'saved', firstConnection);
    if ((await connectionsOf(otherRelay)) === 1) break;
  }
  expect(await connectionsOf(otherRelay), 'Grace on the relay Ada is not on').toBe(1);

  await ada.typeAtEnd('Ada on one relay.');
  await grace.expectText('Ada on one relay.');
  await grace.typeAtStart('Grace on the other. ');
  const together = 'Grace on the other. Ada on one relay.';
  await ada.expectText(together);
  await ada.expectStatus('saved');
  await grace.expectStatus('saved');

  // Ada's relay dies; her page reconnects through nginx to the one left.
  await relays[adaRelay]?.stop('SIGKILL');
  await ada.typeAtEnd(' Still here.');
  const after = `${together} Still here.`;
  await ada.expectText(after);
  await expect(ada.status).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await grace.expectText(after);
  await expect.poll(() => connectionsOf(otherRelay), { timeout: 30_000 }).toBe(2);

  const linus = await EditorUser.create(browser, { name: 'Linus', color: '#e5484d' });
  await linus.page.goto(address);
  await expect(linus.status).toHaveAttribute('data-state', 'saved', firstConnection);
  await linus.expectText(after);

  expect(await nginx.errorLog()).not.toMatch(/\[(emerg|alert|crit)\]/);
  for (const user of [ada, grace, linus]) await user.close();
});
