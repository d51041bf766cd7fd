/**
 * The origin rule and `/api/access` on a real relay, with the headers a reverse proxy sends
 * (deploy/nginx.conf): what a browser behind nginx is admitted with, and what the app is
 * told when it is refused.
 */
import { MemoryDocStore } from '@weft/storage';
import { openRawSocket, upgradeStatus, waitUntil } from '@weft/testkit';
import { describe, expect, it } from 'vitest';
import { secretKey, signToken } from './auth';
import { getJson, useRelayHarness, wsUrl } from './test-support';

const key = secretKey('a-test-secret-that-is-long-enough-for-hs256');

/** nginx with `proxy_set_header Host $host`: the port of the public address is gone. */
const behindNginx = {
  host: 'weft.example.com',
  'x-forwarded-host': 'weft.example.com:8443',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '203.0.113.7',
};

const access = (doc: string, origin: string) =>
  `/api/access/${doc}?origin=${encodeURIComponent(origin)}`;

describe('browsers behind a reverse proxy', () => {
  const harness = useRelayHarness();

  it('admits the page at WEFT_PUBLIC_URL, though nginx replaced Host and dropped its port', async () => {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { publicUrl: 'https://weft.example.com:8443', trustProxy: true },
    );
    const url = `${wsUrl(relay)}/proxied`;
    const from = (origin: string) => ({ headers: { ...behindNginx, origin } });
    expect(await upgradeStatus(url, from('https://weft.example.com:8443'))).toBe(101);
    expect(await upgradeStatus(url, from('https://weft.example.com'))).toBe(403);
    expect(await upgradeStatus(url, from('https://evil.example'))).toBe(403);
  });

  it('with --trust-proxy alone, admits the origin the forwarded headers name', async () => {
    // In local mode the name nginx passes on in Host must be one the relay may answer to
    // (host-guard.ts); the forwarded headers then say which origin the page has.
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { trustProxy: true, allowedHosts: ['weft.example.com'] },
    );
    const url = `${wsUrl(relay)}/proxied`;
    const from = (origin: string, extra: Record<string, string> = {}) => ({
      headers: { ...behindNginx, ...extra, origin },
    });
    expect(await upgradeStatus(url, from('https://weft.example.com:8443'))).toBe(101);
    const forwarded = { forwarded: 'for=203.0.113.7;host=docs.example;proto=https' };
    expect(await upgradeStatus(url, from('https://docs.example', forwarded))).toBe(101);
    expect(await upgradeStatus(url, from('https://weft.example.com:8443', forwarded))).toBe(403);
  });

  it('without --trust-proxy, believes Host only, so spoofed forwarded headers get nothing', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const url = `${wsUrl(relay)}/proxied`;
    const spoofed = {
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      forwarded: 'host=evil.example;proto=https',
    };
    expect(
      await upgradeStatus(url, { headers: { ...spoofed, origin: 'https://evil.example' } }),
    ).toBe(403);
    expect(
      await upgradeStatus(url, {
        headers: { ...spoofed, origin: `http://127.0.0.1:${relay.port}` },
      }),
    ).toBe(101);
  });
});

describe('/api/access says which refusal a socket would meet', () => {
  const harness = useRelayHarness();

  it('names the origin refusal and the origin the relay accepts', async () => {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { publicUrl: 'https://weft.example.com', trustProxy: true },
    );
    const refused = await getJson(relay, access('notes', 'http://localhost:8080'), behindNginx);
    expect(refused).toEqual({
      status: 403,
      body: {
        error: 'origin not allowed',
        refusal: 'origin',
        publicOrigin: 'https://weft.example.com',
      },
    });
    const admitted = await getJson(relay, access('notes', 'https://weft.example.com'), behindNginx);
    expect(admitted).toEqual({ status: 200, body: { role: 'write', expiresAt: null } });
    // Without ?origin, a request's own Origin header is what is checked; without either,
    // the answer is about a non-browser client, which the origin rule does not concern.
    const byHeader = await getJson(relay, '/api/access/notes', { origin: 'https://evil.example' });
    expect(byHeader.body).toMatchObject({ refusal: 'origin' });
    expect((await getJson(relay, '/api/access/notes')).status).toBe(200);
  });

  it('says when the relay cannot tell its own public origin', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() }, { trustProxy: true });
    const garbled = { 'x-forwarded-host': 'not a host' };
    const answer = await getJson(relay, access('notes', 'https://weft.example.com'), garbled);
    expect(answer).toMatchObject({ status: 403, body: { refusal: 'origin', publicOrigin: null } });
  });

  it('names a refused document name and a refused token, keeping their statuses', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() }, { authKey: key });
    const origin = `http://127.0.0.1:${relay.port}`;
    expect(await getJson(relay, access('bad%20name', origin))).toMatchObject({
      status: 400,
      body: { refusal: 'name', error: expect.stringMatching(/./) as string },
    });
    expect(await getJson(relay, access('%E0%A4%A', origin))).toMatchObject({
      status: 400,
      body: { refusal: 'name', error: 'document name is not valid URL encoding' },
    });
    expect(await getJson(relay, access('notes', origin))).toMatchObject({
      status: 401,
      body: { refusal: 'token', error: 'missing token' },
    });
    const other = await signToken(
      { userId: 'u', doc: 'plans', role: 'write', ttlSeconds: 60 },
      key,
    );
    expect(
      await getJson(relay, access('notes', origin), { authorization: `Bearer ${other}` }),
    ).toMatchObject({ status: 403, body: { refusal: 'token' } });
    // The origin is checked first, as the upgrade checks it first.
    expect(await getJson(relay, access('bad%20name', 'https://evil.example'))).toMatchObject({
      status: 403,
      body: { refusal: 'origin' },
    });
  });

  it('says when this address holds the most connections allowed, and not once one closes', async () => {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { maxConnectionsPerAddress: 1, trustProxy: true },
    );
    const origin = `http://127.0.0.1:${relay.port}`;
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const held = await openRawSocket(`${wsUrl(relay)}/notes`, from('203.0.113.1'));
    await waitUntil(() => relay.connections.size === 1, 'socket counted');
    expect(await getJson(relay, access('notes', origin), from('203.0.113.1'))).toEqual({
      status: 429,
      body: { error: 'too many connections from this address', refusal: 'address-limit', limit: 1 },
    });
    // Another address is not affected, and the refusal ends with the connection.
    expect((await getJson(relay, access('notes', origin), from('203.0.113.2'))).status).toBe(200);
    held.socket.close();
    await waitUntil(() => relay.connections.size === 0, 'socket released');
    expect((await getJson(relay, access('notes', origin), from('203.0.113.1'))).status).toBe(200);
  });
});
