import { createConnection } from 'node:net';
import { MemoryDocStore } from '@weft/storage';
import { FaultyStore, openRawSocket, waitUntil } from '@weft/testkit';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode } from './connection';
import { GatedLoadStore, useRelayHarness, wsUrl } from './test-support';

function typedUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('document lifecycle', () => {
  const harness = useRelayHarness();

  it('loads a cold document exactly once for many simultaneous connections, answering none before', async () => {
    // The load waits for the test, so all 20 opens really overlap it (a memory store would
    // finish each load before the next connection arrived).
    const store = new GatedLoadStore();
    await store.append('cold', [typedUpdate('already stored')]);
    const relay = await harness.start({ store });
    const acquire = vi.spyOn(relay.rooms, 'acquire');
    const clients = Array.from({ length: 20 }, () => harness.connect(relay, 'cold'));
    await waitUntil(
      () => acquire.mock.calls.length === 20,
      'every connection waits for the document',
    );
    await new Promise((resolve) => setImmediate(resolve));

    try {
      expect(store.loads).toBe(1);
      expect(relay.connections.size).toBe(0);
      for (const client of clients) expect(client.provider.wsconnected).toBe(false);
    } finally {
      store.openLoads(); // also when an assertion failed, so that teardown does not hang
    }
    await waitUntil(() => clients.every((c) => c.provider.synced), 'all synced');
    expect(store.loads).toBe(1);
    for (const client of clients) expect(client.text.toString()).toBe('already stored');
  });

  it('closes with 1011 and a reason when a load fails, keeps nothing, and loads once storage works', async () => {
    const inner = new MemoryDocStore();
    await inner.append('broken', [typedUpdate('kept safe')]);
    const store = new FaultyStore(inner);
    store.failLoads = true;
    const relay = await harness.start({ store });
    const refused = await openRawSocket(`${wsUrl(relay)}/broken`);
    const closed = await refused.closed;
    expect(closed.code).toBe(CloseCode.loadFailed);
    expect(closed.reason).toMatch(/could not be loaded/);
    expect(refused.frames).toEqual([]);
    expect(relay.rooms.size).toBe(0);
    store.failLoads = false;
    const client = harness.connect(relay, 'broken');
    await waitUntil(() => client.provider.synced, 'synced after recovery');
    expect(client.text.toString()).toBe('kept safe');
  });

  it('answers SyncStep1 with only what the client lacks', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const writer = harness.connect(relay, 'diff');
    await waitUntil(() => writer.provider.synced, 'writer synced');
    writer.text.insert(0, 'x'.repeat(10_000));
    await waitUntil(() => writer.isSaved(), 'big text stored');
    writer.text.insert(0, 'tail');

    const raw = await openRawSocket(`${wsUrl(relay)}/diff`);
    // Claim to already have the first 10,000 characters, but not the last insert.
    const known = new Map([[writer.doc.clientID, 10_000]]);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
    const vector = encoding.createEncoder();
    encoding.writeVarUint(vector, known.size);
    for (const [client, clock] of known) {
      encoding.writeVarUint(vector, client);
      encoding.writeVarUint(vector, clock);
    }
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(vector));
    await waitUntil(
      () => relay.rooms.peek('diff')?.doc.getText('content').length === 10_004,
      'relay has tail',
    );
    raw.send(encoding.toUint8Array(encoder));
    await waitUntil(() => raw.frames.some(isStep2), 'step 2 received');
    const step2 = raw.frames.find(isStep2);
    expect(step2?.byteLength).toBeLessThan(100);
    raw.socket.close();
  });

  it('drops a connection that stops answering pings and removes its cursor for everyone', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() }, { heartbeatMs: 50 });
    const watcher = harness.connect(relay, 'ghosts');
    await waitUntil(() => watcher.provider.synced, 'watcher synced');

    // A half-open peer: completes the upgrade, announces a cursor, then never answers a ping.
    const ghost = new Y.Doc();
    const { Awareness, encodeAwarenessUpdate } = await import('y-protocols/awareness');
    const ghostAwareness = new Awareness(ghost);
    ghostAwareness.setLocalState({ user: { name: 'Ghost', color: '#000000' } });
    const awarenessFrame = encoding.createEncoder();
    encoding.writeVarUint(awarenessFrame, 1);
    encoding.writeVarUint8Array(
      awarenessFrame,
      encodeAwarenessUpdate(ghostAwareness, [ghost.clientID]),
    );
    const socket = createConnection({ host: '127.0.0.1', port: relay.port });
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(
      'GET /ghosts HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    socket.on('data', () => undefined);
    socket.write(maskedBinaryFrame(encoding.toUint8Array(awarenessFrame)));
    await waitUntil(
      () => watcher.provider.awareness.getStates().has(ghost.clientID),
      'ghost visible',
    );
    await waitUntil(
      () => !watcher.provider.awareness.getStates().has(ghost.clientID),
      'ghost removed',
    );
    socket.destroy();
    ghostAwareness.destroy();
  });
});

function isStep2(frame: Uint8Array): boolean {
  const decoder = decoding.createDecoder(frame);
  return (
    decoding.readVarUint(decoder) === 0 &&
    decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep2
  );
}

/** A single masked binary WebSocket frame (clients must mask), payload under 64 KiB. */
function maskedBinaryFrame(payload: Uint8Array): Uint8Array {
  const header =
    payload.length < 126
      ? [0x82, 0x80 | payload.length]
      : [0x82, 0x80 | 126, payload.length >> 8, payload.length & 0xff];
  const mask = [1, 2, 3, 4];
  const body = payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0));
  return Uint8Array.from([...header, ...mask, ...body]);
}
