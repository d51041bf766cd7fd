/**
 * `pnpm cluster`: Weft's cluster mode on this machine, for anyone to try — a PostgreSQL and a
 * Redis of their own (temporary directories, free loopback ports), two compiled relays on
 * them, and Debian's nginx in front running deploy/nginx-cluster.conf. Open the printed
 * address in two browsers; Ctrl-C stops everything and deletes the temporary data.
 *
 * Try: `kill -9` one relay's pid (printed) while typing — the page reconnects through nginx
 * to the other relay and keeps everything it saved.
 */
import { fileURLToPath } from 'node:url';
import { DEPLOY_NGINX_CLUSTER_CONF, startNginx } from './nginx-process';
import { startPostgres } from './postgres-process';
import { startRedis } from './redis-process';
import { startRelayProcess } from './relay-process';
import { freePort } from './server-process';
import { tempDir } from './temp-dir';
import { readFile } from 'node:fs/promises';

const webDist = fileURLToPath(new URL('../../../apps/relay/dist/web', import.meta.url));

async function main(): Promise<void> {
  const [pg, redis, data] = await Promise.all([
    startPostgres(),
    startRedis(),
    tempDir('weft-cluster-'),
  ]);
  const databaseUrl = await pg.createDatabase('weft');
  const ports = [await freePort(), await freePort()];
  const [firstPort = 0, secondPort = 0] = ports;
  const nginx = await startNginx({
    upstreamPort: firstPort,
    moreUpstreamPorts: [secondPort],
    siteConfig: await readFile(DEPLOY_NGINX_CLUSTER_CONF, 'utf8'),
  });
  const env = {
    WEFT_DATABASE_URL: databaseUrl,
    WEFT_REDIS_URL: redis.url,
    WEFT_PUBLIC_URL: nginx.url,
    WEFT_TRUST_PROXY: '1',
    WEB_DIST: webDist,
    LOG_LEVEL: 'info',
  };
  const relays = await Promise.all(
    ports.map((port, i) =>
      startRelayProcess({ dataDir: `${data.path}/relay-${i}`, port, env, compiled: true }),
    ),
  );
  process.stdout.write(
    [
      '',
      `Weft cluster: open ${nginx.url}`,
      `  nginx (round robin)  ${nginx.url}`,
      ...relays.map(
        (relay, i) => `  relay ${i + 1}             ${relay.url}  pid ${relay.child.pid}`,
      ),
      `  PostgreSQL           ${databaseUrl}`,
      `  Redis                ${redis.url}`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  const stop = async (): Promise<void> => {
    await Promise.all(relays.map((relay) => relay.stop('SIGTERM')));
    await nginx.stop();
    await Promise.all([pg.remove(), redis.remove(), data.remove()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`pnpm cluster: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
