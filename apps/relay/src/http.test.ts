import { mkdir, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
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

  /** The web app in `<temp>/web`; files beside it that must never be served are added by tests. */
  async function startWithWebApp(): Promise<Relay> {
    web = await tempDir('weft-web-');
    const root = join(web.path, 'web');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Weft</title>');
    await writeFile(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
    relay = await harness.start({ store: new MemoryDocStore() }, { webDist: root });
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

  it('never serves files outside the web root, however the path is spelled', async () => {
    const target = await startWithWebApp();
    if (!web) throw new Error('no temp dir');
    // Beside the web root: a plain sibling, and one whose path starts with the root's path
    // (`<temp>/web-secret.txt`), which a string-prefix containment check lets through.
    const SECRET = 'TOP-SECRET-d41d8cd98f00';
    await writeFile(join(web.path, 'secret.txt'), SECRET);
    await writeFile(join(web.path, 'web-secret.txt'), SECRET);
    const absolute = join(web.path, 'secret.txt');
    // Sent byte for byte: fetch and URL would resolve the dot segments before sending.
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/.%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fweb-secret.txt',
      '/%2e%2e%2fweb-secret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%252e%252e/secret.txt',
      '/..%252fsecret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      absolute,
      `/${absolute}`,
      `/%2f${absolute.slice(1)}`,
      `http://127.0.0.1:${target.port}/..%2fsecret.txt`,
      '/..%2fsecret.txt%00',
      '/..%2fsecret.txt%00.html',
      '/secret.txt\0',
    ];
    for (const path of attempts) {
      const response = await rawGet(target.port, path);
      expect(response.body, path).not.toContain(SECRET);
      expect([200, 400, 404], path).toContain(response.status);
    }
    // The same client does reach files inside the root, so the loop above tested something.
    expect((await rawGet(target.port, '/assets/app-1234.js')).body).toBe('console.log(1)');
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

/**
 * A GET whose request target is sent exactly as given (no dot-segment resolution, no
 * re-encoding), and the response's status and body.
 */
async function rawGet(port: number, target: string): Promise<{ status: number; body: string }> {
  const socket = createConnection({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  // HTTP/1.0, so the body comes unchunked and the server closes after it. (Not socket.end():
  // Node's server drops a request whose client half-closes before the answer.)
  socket.write(`GET ${target} HTTP/1.0\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
  await new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  const raw = Buffer.concat(chunks).toString('latin1');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
  const bodyStart = raw.indexOf('\r\n\r\n');
  return { status, body: bodyStart < 0 ? '' : raw.slice(bodyStart + 4) };
}
