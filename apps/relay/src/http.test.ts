import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MemoryDocStore } from '@weft/storage';
import { tempDir, waitUntil, type TempDir } from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { secretKey } from './auth';
import type { Relay } from './relay';
import { useRelayHarness } from './test-support';

describe('HTTP endpoints', () => {
  const harness = useRelayHarness();
  let relay: Relay | undefined;
  let web: TempDir | undefined;
  afterEach(async () => {
    await web?.remove();
    web = undefined;
  });

  async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    if (!relay) throw new Error('no relay');
    return fetch(`http://127.0.0.1:${relay.port}${path}`, { headers });
  }

  async function startWithWebApp(): Promise<Relay> {
    web = await tempDir('weft-web-');
    await mkdir(join(web.path, 'assets'));
    await writeFile(join(web.path, 'index.html'), '<!doctype html><title>Weft</title>');
    await writeFile(join(web.path, 'assets', 'app-1234.js'), 'console.log(1)');
    relay = await harness.start({ store: new MemoryDocStore() }, { webDist: web.path });
    return relay;
  }

  it('serves the app, its assets, and index.html for app routes', async () => {
    await startWithWebApp();
    const index = await get('/');
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = await get('/assets/app-1234.js');
    expect(await asset.text()).toBe('console.log(1)');
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    const route = await get('/d/some-doc');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Weft</title>');
  });

  it('never serves files outside the web root', async () => {
    await startWithWebApp();
    for (const path of [
      '/../package.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fpackage.json',
    ]) {
      const response = await get(path);
      const body = await response.text();
      expect(body, path).not.toContain('"name"');
      expect(body, path).not.toContain('root:');
    }
  });

  it('lists documents with live titles, newest first', async () => {
    relay = await harness.start({ store: new MemoryDocStore() });
    const first = harness.connect(relay, 'older');
    await waitUntil(() => first.provider.synced, 'synced');
    first.text.insert(0, 'a');
    await waitUntil(() => first.isSaved(), 'older saved');
    const second = harness.connect(relay, 'newer');
    await waitUntil(() => second.provider.synced, 'synced');
    second.doc.getMap('meta').set('title', 'Meeting notes');
    second.text.insert(0, 'b');
    await waitUntil(() => second.isSaved(), 'newer saved');
    const body = (await (await get('/api/docs')).json()) as {
      docs: { name: string; title: string | null; bytes: number; modified: number }[];
    };
    expect(body.docs.map((doc) => [doc.name, doc.title])).toEqual([
      ['newer', 'Meeting notes'],
      ['older', null],
    ]);
    expect(body.docs[0]?.bytes).toBeGreaterThan(0);
  });

  it('answers health, readiness and Prometheus metrics', async () => {
    relay = await harness.start({ store: new MemoryDocStore() });
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    const client = harness.connect(relay, 'metered');
    await waitUntil(() => client.provider.synced, 'synced');
    client.text.insert(0, 'count me');
    await waitUntil(() => client.isSaved(), 'saved');
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/weft_open_connections 1/);
    expect(metrics).toMatch(/weft_loaded_documents 1/);
    expect(metrics).toMatch(/weft_persist_duration_seconds_count [1-9]/);
    expect(metrics).toMatch(/weft_messages_received_total [1-9]/);
    expect((await get('/api/nothing')).status).toBe(404);
  });

  it('serves metrics on a secured relay only for its metrics token', async () => {
    const authKey = secretKey('a-secret-that-is-long-enough-to-sign-tokens');
    const metricsToken = 'scrape-token-0123456789';
    const scrape = (authorization?: string) =>
      get('/metrics', authorization === undefined ? {} : { authorization });
    relay = await harness.start({ store: new MemoryDocStore() }, { authKey });
    const closed = await scrape(`Bearer ${metricsToken}`);
    expect(closed.status).toBe(401);
    expect(await closed.json()).toEqual({
      error: 'metrics need WEFT_METRICS_TOKEN on a secured relay',
    });
    await relay.close();

    relay = await harness.start({ store: new MemoryDocStore() }, { authKey, metricsToken });
    for (const refused of [undefined, 'Bearer wrong-token-0123456789', metricsToken]) {
      const response = await scrape(refused);
      expect(response.status, String(refused)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
    const open = await scrape(`Bearer ${metricsToken}`);
    expect(open.status).toBe(200);
    expect(await open.text()).toMatch(/weft_open_connections 0/);
    // Health and readiness stay open for load balancers and orchestrators.
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
  });
});
