import { connectYjsClient, tempDir, upgradeStatus, waitUntil, type YjsClient } from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Relay } from './relay';
import { startTestRelay, wsUrl } from './test-support';

describe('relay with official y-websocket clients', () => {
  const clients: YjsClient[] = [];
  const relays: Relay[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const relay of relays.splice(0)) await relay.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('converges two clients, and a restarted relay serves the text from disk', async () => {
    const data = await tempDir();
    cleanups.push(data.remove);
    const first = await startTestRelay({ dataDir: data.path });
    relays.push(first);

    const plain = { savedAcks: false };
    const alice = connectYjsClient(wsUrl(first), 'converge', plain);
    const bob = connectYjsClient(wsUrl(first), 'converge', plain);
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

    for (const client of clients.splice(0)) client.destroy();
    await first.close();
    relays.length = 0;

    const second = await startTestRelay({ dataDir: data.path });
    relays.push(second);
    const carol = connectYjsClient(wsUrl(second), 'converge', plain);
    clients.push(carol);
    await waitUntil(() => carol.provider.synced, 'fresh client synced');
    expect(carol.text.toString()).toBe(converged);
  });

  it('refuses an invalid document name with HTTP 400 and stays up', async () => {
    const data = await tempDir();
    cleanups.push(data.remove);
    const relay = await startTestRelay({ dataDir: data.path });
    relays.push(relay);
    expect(await upgradeStatus(`${wsUrl(relay)}/bad%20name`)).toBe(400);
    expect(await upgradeStatus(`${wsUrl(relay)}/${'x'.repeat(129)}`)).toBe(400);
    expect(await upgradeStatus(`${wsUrl(relay)}/%E0%A4%A`)).toBe(400);
    expect(await upgradeStatus(`${wsUrl(relay)}/good-name`)).toBe(101);
    const health = await fetch(`http://127.0.0.1:${relay.port}/healthz`);
    expect(health.status).toBe(200);
  });
});
