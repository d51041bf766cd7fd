/**
 * Revocations in PostgreSQL: two lists on one database see each other's revocations within
 * a poll, and a connection on one relay closes (4401) after revoking through another's admin
 * endpoint.
 */
import { startPostgres, type PostgresProcess } from '@weft/testkit';
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
afterAll(async () => {
  for (const revocations of opened) await revocations.close();
});

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
    expect((await heard) - started).toBeLessThan(2000);
    expect(second.isRevoked({ userId: 'ada', tokenId: 'jti-1' } as never)).toBe(true);
    await first.revokeSubject('bob', 1000);
    await expect.poll(() => second.list().subjects).toEqual({ bob: 1000 });
    // A list opened later reads every row at start.
    expect((await openOn(url)).list()).toEqual(second.list());
  });

  it('closes a connection on relay B with 4401 after revoking through relay A', async () => {
    const url = await pg.createDatabase('rv_relays');
    const secret = 'a'.repeat(40);
    const adminToken = 'admin-'.repeat(8);
    const start = async (): Promise<Relay> => {
      const revocations = await Revocations.openPostgres(url, silentLogger(), 100);
      return harness.start(undefined, {
        authKey: {
          secret: secretKey(secret),
          publicKey: null,
          jwks: null,
          issuer: null,
          audience: null,
          clockToleranceSeconds: 0,
          revocations,
        },
        revocations,
        adminToken,
      });
    };
    const relayA = await start();
    const relayB = await start();
    const token = await signToken(
      { userId: 'ada', doc: 'rv-*', role: 'write', ttlSeconds: 3600, tokenId: 'ada-1' },
      secretKey(secret),
    );
    const socket = new WebSocket(`${wsUrl(relayB)}/rv-doc?token=${encodeURIComponent(token)}`);
    const closed = new Promise<number>((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.once('open', resolve));
    const response = await fetch(
      `${relayA.url.replace('localhost', '127.0.0.1')}/api/admin/revocations`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'ada' }),
      },
    );
    expect(response.status).toBe(201);
    const started = performance.now();
    expect(await closed).toBe(4401);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
