/**
 * The relay behind a real nginx running the shipped deploy/nginx.conf: what its headers make
 * of browsers' origins and addresses, and that its timeouts outlast the heartbeat.
 */
import { readFile } from 'node:fs/promises';
import { MemoryDocStore } from '@weft/storage';
import {
  DEPLOY_NGINX_CONF,
  openRawSocket,
  renderSiteConfig,
  startNginx,
  upgradeStatus,
  type NginxProcess,
} from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from './connection';
import { loadConfig } from './config';
import type { Relay } from './relay';
import { useRelayHarness } from './test-support';

const proxies: NginxProcess[] = [];
afterEach(async () => {
  for (const nginx of proxies.splice(0)) await nginx.stop();
});

async function nginxInFrontOf(relay: Relay): Promise<NginxProcess> {
  const nginx = await startNginx({ upstreamPort: relay.port });
  proxies.push(nginx);
  return nginx;
}

describe('deploy/nginx.conf in front of the relay', () => {
  const harness = useRelayHarness();

  it('serves HTTP and forwards WebSocket upgrades', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const nginx = await nginxInFrontOf(relay);
    expect(await (await fetch(`${nginx.url}/healthz`)).json()).toEqual({ ok: true });
    const socket = await openRawSocket(`${nginx.url}/through-nginx`);
    // The relay's first frame is sync step 1: the socket really reaches it.
    await expect.poll(() => socket.frames.length).toBeGreaterThan(0);
    socket.socket.close();
    expect(await nginx.errorLog()).not.toMatch(/\[(emerg|alert|crit)\]/);
  });

  it('with --trust-proxy, the page at nginx’s address is admitted though Host lost its port', async () => {
    const trusting = await harness.start({ store: new MemoryDocStore() }, { trustProxy: true });
    const nginx = await nginxInFrontOf(trusting);
    const page = { headers: { origin: nginx.url } };
    expect(await upgradeStatus(`${nginx.url}/page`, page)).toBe(101);
    expect(
      await upgradeStatus(`${nginx.url}/page`, { headers: { origin: 'http://evil.example' } }),
    ).toBe(403);

    // Without --trust-proxy the relay sees only `Host: 127.0.0.1` (no port): the bug.
    const direct = await harness.start({ store: new MemoryDocStore() });
    const plain = await nginxInFrontOf(direct);
    expect(await upgradeStatus(`${plain.url}/page`, { headers: { origin: plain.url } })).toBe(403);
  });

  it('counts the address nginx saw, whatever X-Forwarded-For a client sends', async () => {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { trustProxy: true, maxConnectionsPerAddress: 1 },
    );
    const nginx = await nginxInFrontOf(relay);
    const first = await openRawSocket(`${nginx.url}/capped`, { 'x-forwarded-for': '198.51.100.1' });
    const second = await openRawSocket(`${nginx.url}/capped`, {
      'x-forwarded-for': '198.51.100.2',
    });
    expect(await second.closed).toMatchObject({
      code: CloseCode.policy,
      reason: 'too many connections from this address',
    });
    first.socket.close();
  });

  it('keeps idle sockets open longer than the relay’s heartbeat interval', async () => {
    const site = await readFile(DEPLOY_NGINX_CONF, 'utf8');
    const seconds = (directive: string) => {
      const match = new RegExp(`^\\s*${directive} (\\d+)(s|m|h)?;`, 'm').exec(site);
      if (match?.[1] === undefined) throw new Error(`deploy/nginx.conf has no ${directive}`);
      const unit = match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1;
      return Number(match[1]) * unit;
    };
    const defaults = loadConfig([], {});
    if (defaults === 'help') throw new Error('no options given, yet help');
    const heartbeatSeconds = defaults.heartbeatMs / 1000;
    expect(seconds('proxy_read_timeout')).toBeGreaterThan(heartbeatSeconds);
    expect(seconds('proxy_send_timeout')).toBeGreaterThan(heartbeatSeconds);
  });
});

describe('renderSiteConfig', () => {
  it('replaces only the listen port and the upstream, and refuses a config without them', () => {
    const site = 'upstream u {\n    server 127.0.0.1:4455;\n}\nserver {\n    listen 80;\n}\n';
    expect(renderSiteConfig(site, { listenPort: 8123, upstreamPort: 9000 })).toBe(
      'upstream u {\n    server 127.0.0.1:9000;\n}\nserver {\n    listen 127.0.0.1:8123;\n}\n',
    );
    expect(() => renderSiteConfig('server {\n}\n', { listenPort: 1, upstreamPort: 2 })).toThrow(
      /exactly one `listen 80;`/,
    );
    // Commented lines are not the live ones.
    expect(() =>
      renderSiteConfig('# listen 80;\n    server 127.0.0.1:4455;\n', {
        listenPort: 1,
        upstreamPort: 2,
      }),
    ).toThrow(/found 0/);
  });
});
