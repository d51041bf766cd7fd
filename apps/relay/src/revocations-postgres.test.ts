/**
 * Revocations in PostgreSQL: two lists on one database see each other's revocations within
 * a poll, and a connection on one relay closes (4401) after revoking through another's admin
 * endpoint — in process, and as `pnpm relay` runs with WEFT_DATABASE_URL (separate data
 * directories, so no revocations file is shared).
 */
import {
  startPostgres,
  startRelayProcess,
  tempDir,
  type PostgresProcess,
  type RelayProcess,
} from '@weft/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { secretKey, signToken } from './auth';
import { silentLogger } from './logger';
import type { Relay } from './relay';
import { Revocations } from './revocations';
import { useRelayHarness, wsUrl } from './test-support';

const harness = useRelayHarness();
let pg: PostgresProcess;
beforeAll(async () => {
  pg = await startPostgres({ fsync: false });
}, 60_000);
afterAll(async () => {
  await pg.remove();
});

const opened: Revocations[] = [];
const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const revocations of opened) await revocations.close();
  for (const stop of stops.splice(0).reverse()) await stop();
});

const SECRET = 'a'.repeat(40);
const ADMIN_TOKEN = 'admin-'.repeat(8);

/** Opens a socket with `token`; `closed` resolves with the close code it later gets. */
async function openSocket(wsBase: string, token: string): Promise<{ closed: Promise<number> }> {
  const socket = new WebSocket(`${wsBase}/rv-doc?token=${encodeURIComponent(token)}`);
  const closed = new Promise<number>((resolve) => socket.on('close', resolve));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', () => reject(new Error('refused')));
  });
  return { closed };
}

/** `promise`, or a failure naming `what` after `ms`: a missed revocation fails fast. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) =>
      setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

function revokeSub(httpBase: string, sub: string): Promise<Response> {
  return fetch(`${httpBase.replace('localhost', '127.0.0.1')}/api/admin/revocations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sub }),
  });
}

function adaToken(): Promise<string> {
  return signToken(
    { userId: 'ada', doc: 'rv-*', role: 'write', ttlSeconds: 3600, tokenId: 'ada-1' },
    secretKey(SECRET),
  );
}

async function openOn(url: string): Promise<Revocations> {
  const revocations = await Revocations.openPostgres(url, silentLogger(), 100);
  opened.push(revocations);
  return revocations;
}

describe('revocations in PostgreSQL', () => {
  it('a revocation made on one list reaches another on the same database within 2 s', async () => {
    const url = await pg.createDatabase('rv_lists');
    const first = await openOn(url);
    const second = await openOn(url);
    const heard = new Promise<number>((resolve) => {
      second.onRevoked(() => resolve(performance.now()));
    });
    const started = performance.now();
    await first.revokeToken('jti-1');
    expect((await within(heard, 5000, 'no listener call')) - started).toBeLessThan(2000);
    expect(second.isRevoked({ userId: 'ada', tokenId: 'jti-1' } as never)).toBe(true);
    await first.revokeSubject('bob', 1000);
    await expect.poll(() => second.list().subjects).toEqual({ bob: 1000 });
    // A list opened later reads every row at start.
    expect((await openOn(url)).list()).toEqual(second.list());
  });

  it('closes a connection on relay B with 4401 after revoking through relay A', async () => {
    const url = await pg.createDatabase('rv_relays');
    const start = async (): Promise<Relay> => {
      const revocations = await Revocations.openPostgres(url, silentLogger(), 100);
      return harness.start(undefined, {
        authKey: {
          secret: secretKey(SECRET),
          publicKey: null,
          jwks: null,
          issuer: null,
          audience: null,
          clockToleranceSeconds: 0,
          revocations,
        },
        revocations,
        adminToken: ADMIN_TOKEN,
      });
    };
    const relayA = await start();
    const relayB = await start();
    const { closed } = await openSocket(wsUrl(relayB), await adaToken());
    expect((await revokeSub(relayA.url, 'ada')).status).toBe(201);
    const started = performance.now();
    expect(await within(closed, 5000, 'no close')).toBe(4401);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('two relay processes on WEFT_DATABASE_URL share revocations', async () => {
    const url = await pg.createDatabase('rv_processes');
    const start = async (): Promise<RelayProcess> => {
      const data = await tempDir('weft-rv-pg-');
      const relay = await startRelayProcess({
        dataDir: data.path,
        env: {
          WEFT_DATABASE_URL: url,
          WEFT_AUTH_SECRET: SECRET,
          WEFT_ADMIN_TOKEN: ADMIN_TOKEN,
        },
      });
      stops.push(
        () => data.remove(),
        () => relay.stop('SIGKILL'),
      );
      return relay;
    };
    const [relayA, relayB] = await Promise.all([start(), start()]);
    const { closed } = await openSocket(relayB.url.replace(/^http/, 'ws'), await adaToken());
    expect((await revokeSub(relayA.url, 'ada')).status).toBe(201);
    const started = performance.now();
    expect(await within(closed, 5000, 'no close')).toBe(4401);
    expect(performance.now() - started).toBeLessThan(2000);
  }, 60_000);
});
