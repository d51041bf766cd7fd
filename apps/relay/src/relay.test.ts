import { afterEach, describe, expect, it } from 'vitest';
import type { Relay } from './relay';
import {
  connectClient,
  startTestRelay,
  tempDataDir,
  waitUntil,
  type TestClient,
} from './test-support';

describe('relay with official y-websocket clients', () => {
  const clients: TestClient[] = [];
  const relays: Relay[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const relay of relays.splice(0)) await relay.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('converges two clients, and a restarted relay serves the text from disk', async () => {
    const data = await tempDataDir();
    cleanups.push(data.remove);
    const first = await startTestRelay({ dataDir: data.dir });
    relays.push(first);

    const alice = connectClient(first, 'converge');
    const bob = connectClient(first, 'converge');
    clients.push(alice, bob);
    await waitUntil(() => alice.provider.synced && bob.provider.synced, 'both clients synced');

    alice.text.insert(0, 'Hello from Alice. ');
    bob.text.insert(0, 'Bob says hi. ');
    await waitUntil(
      () => alice.text.toString() === bob.text.toString() && alice.text.length === 31,
      'both clients hold both edits',
    );
    const converged = alice.text.toString();
    expect(converged).toContain('Hello from Alice. ');
    expect(converged).toContain('Bob says hi. ');

    alice.destroy();
    bob.destroy();
    clients.length = 0;
    await first.close();
    relays.length = 0;

    const second = await startTestRelay({ dataDir: data.dir });
    relays.push(second);
    const carol = connectClient(second, 'converge');
    clients.push(carol);
    await waitUntil(() => carol.provider.synced, 'fresh client synced');
    expect(carol.text.toString()).toBe(converged);
  });

  it('refuses an invalid document name with HTTP 400 and stays up', async () => {
    const data = await tempDataDir();
    cleanups.push(data.remove);
    const relay = await startTestRelay({ dataDir: data.dir });
    relays.push(relay);
    const { WebSocket } = await import('ws');
    const status = await new Promise<number | undefined>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${relay.port}/bad%20name`);
      socket.on('unexpected-response', (_request, response) => {
        resolve(response.statusCode);
      });
      socket.on('open', () => {
        resolve(101);
      });
      socket.on('error', () => undefined);
    });
    expect(status).toBe(400);
    const health = await fetch(`${relay.url.replace('localhost', '127.0.0.1')}/healthz`);
    expect(health.status).toBe(200);
  });
});
