import { encodeStoredCountAck } from '@weft/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocumentSession } from './document-session.js';
import { metaMap } from './document-title.js';
import { ManualNetworkSignal } from './network-signal.js';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket.js';

/** A session on a fake relay: the test accepts sockets, completes syncs and sends acks. */
async function openSession(online = true) {
  const network = new ManualNetworkSignal(online);
  const session = new DocumentSession({
    relayUrl: 'ws://relay.test',
    docName: 'doc',
    user: { name: 'Ada', color: '#6e56cf' },
    WebSocketPolyfill: FakeWebSocketPolyfill,
    network,
    backoff: { baseMs: 1000, maxMs: 1000 },
  });
  await session.ready;
  const relayDoc = new Y.Doc();
  const status = () => session.saveStatus.getSnapshot();
  /** The relay says the first `n` document messages of the current socket are stored. */
  const ack = (n: number) => {
    FakeWebSocket.latest().deliver(encodeStoredCountAck(n));
  };
  /** The relay acknowledges every document message the current socket has sent. */
  const ackAll = () => {
    ack(FakeWebSocket.latest().documentMessages());
  };
  /** The relay accepts the socket and runs the handshake as the real one does. */
  const connect = () => {
    const socket = FakeWebSocket.latest();
    socket.accept();
    socket.requestSync(relayDoc);
    socket.completeSync(relayDoc);
  };
  return { session, network, relayDoc, status, ack, ackAll, connect };
}

describe('SaveStatusTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is connecting, then saved once synced when this device has made no edits', async () => {
    const { session, status, connect } = await openSession();
    expect(status().state).toBe('connecting');
    connect();
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('an edit made before connecting is saved only once the relay acknowledges it', async () => {
    const { session, status, ack, connect } = await openSession();
    session.text.insert(0, 'early');
    connect();
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 1 });
    // The edit travels in the SyncStep2, the socket's first document message.
    ack(1);
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('opts in to counted acknowledgements on every new socket', async () => {
    const { session, connect } = await openSession();
    connect();
    expect(FakeWebSocket.latest().sent).toContainEqual(Uint8Array.of(101));
    FakeWebSocket.latest().fail();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.latest().accept();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.latest().sent).toContainEqual(Uint8Array.of(101));
    session.destroy();
  });

  it('counts edits (transactions), not characters', async () => {
    const { session, status, ackAll, connect } = await openSession();
    connect();
    session.text.insert(0, 'hello');
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 1 });
    session.text.insert(5, ' world');
    session.doc.transact(() => {
      session.text.insert(0, '# ');
      session.text.insert(session.text.length, '!');
    });
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 3 });
    ackAll();
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('a deletion is not saved until the relay acknowledges it', async () => {
    const { session, status, ackAll, connect } = await openSession();
    connect();
    session.text.insert(0, 'delete me');
    ackAll();
    expect(status().state).toBe('saved');
    // A deletion advances no clock: the state vector is the same before and after.
    const vector = Y.encodeStateVector(session.doc);
    session.text.delete(0, 7);
    expect(Y.encodeStateVector(session.doc)).toEqual(vector);
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 1 });
    ackAll();
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('a title change is an edit like any other', async () => {
    const { session, status, ackAll, connect } = await openSession();
    connect();
    metaMap(session.doc).set('title', 'Plans');
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 1 });
    ackAll();
    expect(status().state).toBe('saved');
    session.destroy();
  });

  it('an acknowledgement that misses some edits is not "saved"', async () => {
    const { session, status, ack, connect } = await openSession();
    connect();
    const before = FakeWebSocket.latest().documentMessages();
    session.text.insert(0, 'abc');
    session.text.insert(3, 'def');
    session.text.delete(0, 1);
    ack(before + 2);
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 1 });
    ack(before + 3);
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('edits a closed socket did not get acknowledged are carried by the next SyncStep2', async () => {
    const { session, status, ack, ackAll, connect } = await openSession();
    connect();
    session.text.insert(0, 'sent, never acknowledged');
    FakeWebSocket.latest().fail();
    expect(status()).toMatchObject({ state: 'offline', unsaved: 1 });
    vi.advanceTimersByTime(1000);
    const socket = FakeWebSocket.latest();
    socket.accept();
    // An update sent before the SyncStep2 carries only its own edit.
    session.text.insert(0, '> ');
    socket.requestSync(new Y.Doc());
    socket.completeSync(new Y.Doc());
    expect(socket.documentMessages()).toBe(2);
    ack(1);
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 1 });
    ackAll();
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('is offline while the device is offline, whatever was acknowledged', async () => {
    const { session, network, status, ackAll, connect } = await openSession();
    connect();
    ackAll();
    network.set(false);
    expect(status().state).toBe('offline');
    session.text.insert(0, 'x');
    expect(status()).toMatchObject({ state: 'offline', unsaved: 1 });
    session.destroy();
  });

  it('is offline while the relay cannot be reached, with the next retry time', async () => {
    const { session, status } = await openSession();
    FakeWebSocket.latest().fail();
    expect(status().state).toBe('offline');
    expect(status().retryAt).toBeTypeOf('number');
    session.destroy();
  });

  it('started offline, it never tries and says offline', async () => {
    const { session, status } = await openSession(false);
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(status().state).toBe('offline');
    session.destroy();
  });

  it('edits made offline count until the SyncStep2 that carries them is acknowledged', async () => {
    const { session, network, status, ack, ackAll, connect } = await openSession();
    connect();
    session.text.insert(0, 'kept');
    ackAll();
    network.set(false);
    session.text.insert(4, '!');
    session.text.delete(0, 1);
    network.set(true);
    connect();
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 2 });
    // An acknowledgement from before the SyncStep2 (there is none: it is message 1) settles
    // nothing; the SyncStep2's own settles both.
    ack(0);
    expect(status().unsaved).toBe(2);
    ack(1);
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('gives React the same snapshot object until something changes', async () => {
    const { session, status, connect } = await openSession();
    connect();
    const before = status();
    session.awareness.setLocalStateField('cursor', null);
    expect(status()).toBe(before);
    session.destroy();
  });
});
