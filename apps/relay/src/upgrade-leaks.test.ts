/**
 * Nothing leaks on any upgrade path: however a WebSocket upgrade ends — a handshake ws would
 * refuse, a client that half-closes or vanishes while its document loads — its address slot
 * and its document hold are given back, so the address can connect again and the document
 * unloads when idle.
 */
import { createConnection, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryDocStore } from '@weft/storage';
import { waitUntil } from '@weft/testkit';
import { describe, expect, it } from 'vitest';
import type { Relay } from './relay';
import { useRelayHarness } from './test-support';

/** A memory store whose loads take a moment, so a client can act while one is running. */
class SlowLoadStore extends MemoryDocStore {
  loads = 0;

  override async load(name: string): Promise<Uint8Array | null> {
    this.loads++;
    await sleep(20);
    return super.load(name);
  }
}

const GOOD_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function handshake(doc: string, headers: Record<string, string | undefined>): string {
  const all: Record<string, string | undefined> = {
    Host: '127.0.0.1',
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': GOOD_KEY,
    'Sec-WebSocket-Version': '13',
    ...headers,
  };
  const lines = Object.entries(all)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}: ${value}\r\n`);
  return `GET /${doc} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

type BadUpgrade = 'no key' | 'malformed key' | 'wrong version' | 'bad subprotocol' | 'half-closed';
/** Handshakes the relay can refuse before loading anything. */
const REFUSED_UNLOADED: readonly BadUpgrade[] = ['no key', 'malformed key', 'wrong version'];
const BAD_UPGRADES: readonly BadUpgrade[] = [...REFUSED_UNLOADED, 'bad subprotocol', 'half-closed'];

/** Sends one bad upgrade of `kind` to `doc` and resolves with the relay's answer once the
 * relay has closed the socket. */
async function badUpgrade(relay: Relay, kind: BadUpgrade, doc: string): Promise<string> {
  const socket = await connect(relay);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const closed = new Promise((resolve) => socket.once('close', resolve));
  switch (kind) {
    case 'no key':
      socket.write(handshake(doc, { 'Sec-WebSocket-Key': undefined }));
      break;
    case 'malformed key':
      socket.write(handshake(doc, { 'Sec-WebSocket-Key': 'not-a-nonce' }));
      break;
    case 'wrong version':
      socket.write(handshake(doc, { 'Sec-WebSocket-Version': '7' }));
      break;
    case 'bad subprotocol':
      // ws parses this header itself and refuses the handshake: only after the load.
      socket.write(handshake(doc, { 'Sec-WebSocket-Protocol': 'one,,two' }));
      break;
    case 'half-closed':
      // A complete, valid request, then FIN while the document loads.
      socket.end(handshake(doc, {}));
      break;
  }
  await closed;
  return answer;
}

function connect(relay: Relay): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port: relay.port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('upgrade paths release what they hold', () => {
  const harness = useRelayHarness();

  /** An official y-websocket client syncs `doc`, then leaves. */
  async function connectsAndSyncs(relay: Relay, doc: string): Promise<void> {
    const client = harness.connect(relay, doc, { savedAcks: false });
    await waitUntil(() => client.provider.synced, `a client of ${doc} synced`, 5000);
    client.destroy();
  }

  for (const kind of BAD_UPGRADES) {
    it(`a ${kind} upgrade gives back its address slot and document`, async () => {
      const store = new SlowLoadStore();
      // One slot per address: a leaked slot locks the address out at once.
      const relay = await harness.start({ store }, { maxConnectionsPerAddress: 1 });
      const answer = await badUpgrade(relay, kind, 'target');
      if (REFUSED_UNLOADED.includes(kind)) {
        expect(answer).toMatch(/^HTTP\/1\.1 400 /);
        expect(store.loads).toBe(0);
      }
      await connectsAndSyncs(relay, 'target');
      await waitUntil(() => relay.rooms.size === 0, 'the document unloaded', 5000);
      expect(relay.connections.size).toBe(0);
    });
  }

  it('a client that resets its socket while its document loads holds nothing', async () => {
    const store = new SlowLoadStore();
    const relay = await harness.start({ store }, { maxConnectionsPerAddress: 1 });
    const socket = await connect(relay);
    socket.on('error', () => undefined);
    socket.write(handshake('vanished', {}));
    await waitUntil(() => store.loads === 1, 'the load started');
    socket.resetAndDestroy();
    await connectsAndSyncs(relay, 'vanished');
    await waitUntil(() => relay.rooms.size === 0, 'the document unloaded', 5000);
  });

  it('1,000 bad upgrades from one address leave it able to connect and no document loaded', async () => {
    const store = new SlowLoadStore();
    // The default per-address cap: every user behind a proxy without --trust-proxy shares it.
    const relay = await harness.start({ store }, { maxConnectionsPerAddress: 256 });
    const total = 1000;
    const parallel = 50;
    for (let start = 0; start < total; start += parallel) {
      await Promise.all(
        Array.from({ length: parallel }, (_, offset) => {
          const i = start + offset;
          return badUpgrade(
            relay,
            BAD_UPGRADES[i % BAD_UPGRADES.length] ?? 'no key',
            `doc-${i % 40}`,
          );
        }),
      );
    }
    await connectsAndSyncs(relay, 'doc-0');
    await waitUntil(() => relay.rooms.size === 0, 'every document unloaded', 5000);
    expect(relay.connections.size).toBe(0);
  });
});
