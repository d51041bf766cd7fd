/**
 * Tokens signed with a private key the relay never sees (PEM public key or JWKS by kid; ES256,
 * EdDSA, RS256), iss/aud, clock skew, the token command with a private key, and revocation
 * through the admin API: refused at the upgrade, open connections closed, on every relay that
 * shares the revocation file.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { secretKey, signToken, type TokenKeys } from './auth';
import { ConfigError } from './config-error';
import { silentLogger } from './logger';
import type { Relay } from './relay';
import { Revocations } from './revocations';
import { useRelayHarness, wsUrl } from './test-support';
import { tokenCommand } from './token-command';
import { readJwks, readPublicKey, tokenKeysFrom } from './token-keys';

const harness = useRelayHarness();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Alg = 'ES256' | 'EdDSA' | 'RS256';
function keyPair(alg: Alg): { privateKey: KeyObject; publicKey: KeyObject } {
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  if (alg === 'EdDSA') return generateKeyPairSync('ed25519');
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

async function pemFile(name: string, key: KeyObject): Promise<string> {
  const file = join(dir, name);
  await writeFile(
    file,
    key.export({ type: key.type === 'public' ? 'spki' : 'pkcs8', format: 'pem' }),
  );
  return file;
}

function keys(overrides: Partial<TokenKeys>): TokenKeys {
  return {
    secret: null,
    publicKey: null,
    jwks: null,
    issuer: null,
    audience: null,
    clockToleranceSeconds: 30,
    revocations: null,
    ...overrides,
  };
}

const now = () => Math.floor(Date.now() / 1000);

function jwt(claims: Record<string, unknown> = {}) {
  return new SignJWT({ doc: 'pk-*', role: 'write', ...claims })
    .setSubject('ada')
    .setIssuedAt()
    .setExpirationTime(now() + 3600);
}

/** The upgrade's outcome: 'open' or the HTTP status it was refused with. */
function upgrade(relay: Relay, doc: string, token: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${wsUrl(relay)}/${doc}?token=${encodeURIComponent(token)}`);
    socket.on('open', () => {
      socket.close();
      resolve('open');
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => undefined);
  });
}

/** An open socket, and the close code it later gets. */
async function openSocket(relay: Relay, doc: string, token: string) {
  const socket = new WebSocket(`${wsUrl(relay)}/${doc}?token=${encodeURIComponent(token)}`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', () => reject(new Error('refused')));
  });
  return { socket, closed };
}

describe('public-key tokens', () => {
  it.each<Alg>(['ES256', 'EdDSA', 'RS256'])(
    'accepts %s tokens checked against a PEM public key, and refuses other keys',
    async (alg) => {
      const { privateKey, publicKey } = keyPair(alg);
      const relay = await harness.start(undefined, {
        authKey: keys({ publicKey: readPublicKey(await pemFile(`${alg}.pub.pem`, publicKey)) }),
      });
      const good = await jwt().setProtectedHeader({ alg }).sign(privateKey);
      expect(await upgrade(relay, 'pk-doc', good)).toBe('open');
      const stranger = await jwt().setProtectedHeader({ alg }).sign(keyPair(alg).privateKey);
      expect(await upgrade(relay, 'pk-doc', stranger)).toBe(401);
      // Not even the public key's own bytes as an HS256 secret (algorithm confusion).
      const pem = publicKey.export({ type: 'spki', format: 'pem' });
      const confused = await jwt()
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(String(pem)));
      expect(await upgrade(relay, 'pk-doc', confused)).toBe(401);
    },
  );

  it('chooses the JWKS key by kid, so two keys are valid at once during a rotation', async () => {
    const old = keyPair('ES256');
    const next = keyPair('EdDSA');
    const file = join(dir, 'jwks.json');
    const publicJwk = async (key: KeyObject, kid: string, alg: Alg) => ({
      ...(await exportJWK(key)),
      kid,
      alg,
    });
    await writeFile(
      file,
      JSON.stringify({
        keys: [
          await publicJwk(old.publicKey, '2026-11', 'ES256'),
          await publicJwk(next.publicKey, '2026-12', 'EdDSA'),
        ],
      }),
    );
    const relay = await harness.start(undefined, {
      authKey: tokenKeysFrom(
        {
          authSecret: null,
          authPublicKeyFile: null,
          authJwksFile: file,
          authIssuer: null,
          authAudience: null,
          authClockSkewSeconds: 30,
        },
        null,
      ),
    });
    const byOld = await jwt()
      .setProtectedHeader({ alg: 'ES256', kid: '2026-11' })
      .sign(old.privateKey);
    const byNext = await jwt()
      .setProtectedHeader({ alg: 'EdDSA', kid: '2026-12' })
      .sign(next.privateKey);
    expect(await upgrade(relay, 'pk-a', byOld)).toBe('open');
    expect(await upgrade(relay, 'pk-a', byNext)).toBe('open');
    const unknownKid = await jwt()
      .setProtectedHeader({ alg: 'ES256', kid: 'gone' })
      .sign(old.privateKey);
    expect(await upgrade(relay, 'pk-a', unknownKid)).toBe(401);
  });

  it('checks iss and aud when configured, and allows the configured clock skew', async () => {
    const { privateKey, publicKey } = keyPair('ES256');
    const relay = await harness.start(undefined, {
      authKey: keys({
        publicKey,
        issuer: 'https://app.example',
        audience: 'weft',
        clockToleranceSeconds: 30,
      }),
    });
    const sign = (build: SignJWT) => build.setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    const right = () => jwt().setIssuer('https://app.example').setAudience('weft');
    expect(await upgrade(relay, 'pk-iss', await sign(right()))).toBe('open');
    expect(await upgrade(relay, 'pk-iss', await sign(jwt().setAudience('weft')))).toBe(401);
    expect(
      await upgrade(relay, 'pk-iss', await sign(right().setIssuer('https://evil.example'))),
    ).toBe(401);
    expect(await upgrade(relay, 'pk-iss', await sign(right().setAudience('other')))).toBe(401);
    // Expired 10 s ago: within 30 s of skew. Two minutes ago: expired.
    expect(await upgrade(relay, 'pk-iss', await sign(right().setExpirationTime(now() - 10)))).toBe(
      'open',
    );
    expect(await upgrade(relay, 'pk-iss', await sign(right().setExpirationTime(now() - 120)))).toBe(
      401,
    );
  });

  it('refuses key files that are missing, not keys, or private', async () => {
    const { privateKey } = keyPair('ES256');
    expect(() => readPublicKey(join(dir, 'missing.pem'))).toThrow(
      /WEFT_AUTH_PUBLIC_KEY_FILE.*ENOENT/,
    );
    const privateFile = await pemFile('private.pem', privateKey);
    expect(() => readPublicKey(privateFile)).toThrow(/private key/);
    const junk = join(dir, 'junk.json');
    await writeFile(junk, '{"keys": []}');
    expect(() => readJwks(junk)).toThrow(ConfigError);
    await writeFile(
      junk,
      JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'x' }] }),
    );
    expect(() => readJwks(junk)).toThrow(/private key/);
  });

  it('pnpm weft token signs with a private-key file, and the relay accepts it', async () => {
    const { privateKey, publicKey } = keyPair('EdDSA');
    const relay = await harness.start(undefined, { authKey: keys({ publicKey }) });
    const { token, tokenId } = await tokenCommand(
      [
        '--doc',
        'pk-cli',
        '--role',
        'write',
        '--private-key-file',
        await pemFile('cli.pem', privateKey),
      ],
      {},
    );
    expect(tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await upgrade(relay, 'pk-cli', token)).toBe('open');
  });
});

describe('revocation', () => {
  const secret = 'a'.repeat(40);
  const adminToken = 'admin-'.repeat(8);

  async function revokingRelay(file: string) {
    const revocations = Revocations.open(file, silentLogger(), 100);
    const relay = await harness.start(undefined, {
      authKey: keys({ secret: secretKey(secret), revocations }),
      revocations,
      adminToken,
    });
    return relay;
  }

  const token = (sub: string, tokenId: string) =>
    signToken(
      { userId: sub, doc: 'rv-*', role: 'write', ttlSeconds: 3600, tokenId },
      secretKey(secret),
    );

  const admin = (relay: Relay, body: unknown, bearer = adminToken) =>
    fetch(`${relay.url.replace('localhost', '127.0.0.1')}/api/admin/revocations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('needs the admin token, never an access token', async () => {
    const relay = await revokingRelay(join(dir, 'rv-admin.json'));
    expect((await admin(relay, { jti: 'x' }, 'wrong')).status).toBe(401);
    expect((await admin(relay, { jti: 'x' }, await token('ada', 'x'))).status).toBe(401);
    expect((await admin(relay, { nothing: true })).status).toBe(400);
  });

  it('refuses a revoked jti at the upgrade and closes its open connections with 4401', async () => {
    const relay = await revokingRelay(join(dir, 'rv-jti.json'));
    const revoked = await token('ada', 'jti-1');
    const kept = await token('ada', 'jti-2');
    const open = await openSocket(relay, 'rv-doc', revoked);
    const other = await openSocket(relay, 'rv-doc', kept);
    const started = performance.now();
    expect((await admin(relay, { jti: 'jti-1' })).status).toBe(201);
    expect(await open.closed).toEqual({ code: 4401, reason: 'token revoked' });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await upgrade(relay, 'rv-doc', revoked)).toBe(401);
    expect(other.socket.readyState).toBe(WebSocket.OPEN);
    other.socket.close();
  });

  it('revokes every token of a sub issued before a time, on every relay sharing the file', async () => {
    const file = join(dir, 'rv-shared.json');
    const first = await revokingRelay(file);
    const second = await revokingRelay(file);
    const adaToken = await token('ada', 'ada-1');
    const bobToken = await token('bob', 'bob-1');
    const onSecond = await openSocket(second, 'rv-doc', adaToken);
    const bob = await openSocket(second, 'rv-doc', bobToken);
    expect((await admin(first, { sub: 'ada' })).status).toBe(201);
    // The second relay reads the file within its poll interval and closes Ada's socket.
    expect(await onSecond.closed).toEqual({ code: 4401, reason: 'token revoked' });
    expect(await upgrade(second, 'rv-doc', adaToken)).toBe(401);
    expect(bob.socket.readyState).toBe(WebSocket.OPEN);
    bob.socket.close();
    // A relay started later on the same file refuses it too.
    const third = await revokingRelay(file);
    expect(await upgrade(third, 'rv-doc', adaToken)).toBe(401);
    expect(await upgrade(third, 'rv-doc', bobToken)).toBe('open');
  });
});
