import { encodeSavedAck } from '@weft/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocumentSession } from './document-session';
import { ManualNetworkSignal } from './network-signal';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket';

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
  /** The relay acknowledges that it stored everything this session has. */
  const ackAll = () => {
    FakeWebSocket.latest().deliver(encodeSavedAck(Y.encodeStateVector(session.doc)));
  };
  const connect = () => {
    FakeWebSocket.latest().accept();
    FakeWebSocket.latest().completeSync(relayDoc);
  };
  return { session, network, relayDoc, status, ackAll, connect };
}

describe('SaveStatusTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is connecting, then saved only once the relay acknowledges (not when the socket opens)', async () => {
    const { session, status, ackAll, connect } = await openSession();
    expect(status().state).toBe('connecting');
    connect();
    expect(status()).toMatchObject({ state: 'syncing', unsaved: null });
    ackAll();
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('opts in to acknowledgements on every new socket', async () => {
    const { session, connect } = await openSession();
    connect();
    expect(FakeWebSocket.latest().sent).toContainEqual(Uint8Array.of(100));
    FakeWebSocket.latest().fail();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.latest().accept();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.latest().sent).toContainEqual(Uint8Array.of(100));
    session.destroy();
  });

  it('counts local edits the relay has not acknowledged', async () => {
    const { session, status, ackAll, connect } = await openSession();
    connect();
    ackAll();
    session.text.insert(0, 'hello');
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 5 });
    ackAll();
    expect(status()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('an acknowledgement that misses some edits is not "saved"', async () => {
    const { session, status, connect } = await openSession();
    connect();
    session.text.insert(0, 'abc');
    const partial = new Y.Doc();
    Y.applyUpdate(partial, Y.encodeStateAsUpdate(session.doc));
    session.text.insert(3, 'def');
    FakeWebSocket.latest().deliver(encodeSavedAck(Y.encodeStateVector(partial)));
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 3 });
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

  it('keeps acknowledgements across reconnects: acknowledged edits stay stored', async () => {
    const { session, network, status, ackAll, connect } = await openSession();
    connect();
    session.text.insert(0, 'kept');
    ackAll();
    network.set(false);
    session.text.insert(4, '!');
    network.set(true);
    connect();
    // Before the new socket's first acknowledgement the count is already exact.
    expect(status()).toMatchObject({ state: 'syncing', unsaved: 1 });
    ackAll();
    expect(status().state).toBe('saved');
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
