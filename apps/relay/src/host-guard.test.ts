/**
 * DNS rebinding against a relay in local mode: a page whose name was rebound to 127.0.0.1
 * sends its own name in Host and its own origin, which would pass the origin rule. The relay
 * must refuse it everything, HTTP and sockets, and still answer every name that cannot be
 * rebound.
 */
import { MemoryDocStore } from '@weft/storage';
import { upgradeStatus } from '@weft/testkit';
import { describe, expect, it } from 'vitest';
import { secretKey } from './auth';
import { hostRefusal } from './host-guard';
import { getJson, useRelayHarness, wsUrl } from './test-support';

const local = { localMode: true, publicUrl: null, allowedHosts: null };

describe('hostRefusal', () => {
  it('allows in local mode only names that DNS cannot hand to another site', () => {
    for (const host of [
      '127.0.0.1:4455',
      '127.0.0.1',
      '192.168.1.20:4455',
      '[::1]:4455',
      'localhost:4455',
      'LOCALHOST',
      'weft.localhost:4455',
    ]) {
      expect(hostRefusal(host, local), host).toBeNull();
    }
    for (const host of ['evil.example:4455', 'localhost.evil.example', '127.0.0.1.nip.io', 'a/b']) {
      expect(hostRefusal(host, local), host).toMatch(/^host not allowed: .*WEFT_ALLOWED_HOSTS/);
    }
  });

  it("allows the public URL's host and listed names, and any name with *", () => {
    const configured = { ...local, publicUrl: 'https://Docs.Example:8443/', allowedHosts: ['lab'] };
    expect(hostRefusal('docs.example', configured)).toBeNull();
    expect(hostRefusal('LAB:4455', configured)).toBeNull();
    expect(hostRefusal('evil.example', configured)).not.toBeNull();
    expect(hostRefusal('evil.example', { ...local, allowedHosts: ['*'] })).toBeNull();
  });

  it('checks nothing in secured mode, nor a request without Host (not a browser)', () => {
    expect(hostRefusal('evil.example', { ...local, localMode: false })).toBeNull();
    expect(hostRefusal(undefined, local)).toBeNull();
  });
});

describe('a relay in local mode against a rebound name', () => {
  const harness = useRelayHarness();

  it('refuses the document list and sockets to a page at a rebound name', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const rebound = `evil.example:${relay.port}`;
    const listed = await getJson(relay, '/api/docs', { host: rebound });
    expect(listed.status).toBe(403);
    expect(listed.body).toMatchObject({ refusal: 'host' });
    // The page's origin is its own name, which is also what Host says: the origin rule alone
    // would let this socket in.
    const socket = { headers: { host: rebound, origin: `http://${rebound}` } };
    expect(await upgradeStatus(`${wsUrl(relay)}/notes`, socket)).toBe(403);

    const own = `127.0.0.1:${relay.port}`;
    expect((await getJson(relay, '/api/docs', { host: own })).status).toBe(200);
    expect((await getJson(relay, '/api/docs', { host: `localhost:${relay.port}` })).status).toBe(
      200,
    );
    const ownSocket = { headers: { host: own, origin: `http://${own}` } };
    expect(await upgradeStatus(`${wsUrl(relay)}/notes`, ownSocket)).toBe(101);
  });

  it('answers a name the operator listed', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() }, { allowedHosts: ['lab'] });
    expect((await getJson(relay, '/api/docs', { host: `lab:${relay.port}` })).status).toBe(200);
  });

  it('leaves a secured relay to its tokens', async () => {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { authKey: secretKey('a-test-secret-that-is-long-enough-for-hs256') },
    );
    const answer = await getJson(relay, '/api/docs', { host: `weft.example.com:${relay.port}` });
    expect(answer.status).toBe(401);
  });
});
