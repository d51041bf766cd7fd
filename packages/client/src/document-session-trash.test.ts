/**
 * A document moved to the trash (close code 4404): the session keeps its copy, never syncs it
 * on its own (a token change or the network coming back does not reconnect), and only
 * `restoreFromDevice()` restores the document on the relay and reconnects, sending this
 * device's edits. The same for a document deleted for good (close code 4410): its copy starts
 * it again only through `restoreFromDevice()`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocumentSession } from './document-session.js';
import { ManualNetworkSignal } from './network-signal.js';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket.js';

const user = { name: 'Ada', color: '#6e56cf' };

function open(restoreStatus = 200) {
  const network = new ManualNetworkSignal(true);
  const requests: { url: string; method: string | undefined }[] = [];
  const fetchStub = ((url: string, init?: RequestInit) => {
    requests.push({ url, method: init?.method });
    return Promise.resolve(
      new Response(JSON.stringify(restoreStatus === 200 ? { name: 'notes' } : { error: 'gone' }), {
        status: restoreStatus,
      }),
    );
  }) as typeof fetch;
  const session = new DocumentSession({
    relayUrl: 'ws://relay.test/collab',
    docName: 'notes',
    user,
    WebSocketPolyfill: FakeWebSocketPolyfill,
    network,
    backoff: { baseMs: 1000, maxMs: 1000 },
    fetch: fetchStub,
  });
  return { session, network, requests };
}

async function trashWhileOpen(session: DocumentSession): Promise<void> {
  await session.ready;
  FakeWebSocket.latest().accept();
  FakeWebSocket.latest().completeSync(new Y.Doc());
  FakeWebSocket.latest().fail(4404);
}

describe('DocumentSession and the trash', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('says trashed and never reconnects on its own, whatever happens', async () => {
    const { session, network } = open();
    await trashWhileOpen(session);
    expect(session.getAccess()).toMatchObject({ trashed: true, problem: null });
    session.text.insert(0, 'typed after the trash');
    await vi.advanceTimersByTimeAsync(60_000);
    network.set(false);
    network.set(true);
    session.setToken('a-new-token');
    session.connection.retryNow();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(session.getAccess().trashed).toBe(true);
    expect(session.text.toString()).toBe('typed after the trash');
    session.destroy();
  });

  it('restoreFromDevice restores on the relay, then reconnects and sends the local edits', async () => {
    const { session, requests } = open();
    await trashWhileOpen(session);
    session.text.insert(0, 'kept on this device');
    await session.restoreFromDevice();
    expect(requests).toEqual([
      { url: 'http://relay.test/collab/api/docs/notes/restore?fromDevice=1', method: 'POST' },
    ]);
    expect(session.getAccess().trashed).toBe(false);
    expect(FakeWebSocket.instances).toHaveLength(2);
    const socket = FakeWebSocket.latest();
    socket.accept();
    const relayDoc = new Y.Doc();
    socket.requestSync(relayDoc);
    // The SyncStep2 the client answers with carries this device's edits.
    expect(socket.documentMessages()).toBeGreaterThan(0);
    session.destroy();
  });

  it('a document deleted for good (4410) keeps this copy unsent until restoreFromDevice', async () => {
    const { session, network, requests } = open();
    // What a reopened page holds from its offline copy, before it connects.
    session.text.insert(0, 'only on this device');
    await session.ready;
    FakeWebSocket.latest().accept();
    FakeWebSocket.latest().fail(4410);
    expect(session.getAccess()).toMatchObject({ trashed: true, deletedForGood: true });
    session.text.insert(0, 'and more ');
    network.set(false);
    network.set(true);
    session.setToken('a-new-token');
    session.connection.retryNow();
    await vi.advanceTimersByTimeAsync(60_000);
    // One socket, refused, and nothing of the copy went out on it.
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.latest().documentMessages()).toBe(0);
    expect(session.getAccess().deletedForGood).toBe(true);

    await session.restoreFromDevice();
    expect(requests).toEqual([
      { url: 'http://relay.test/collab/api/docs/notes/restore?fromDevice=1', method: 'POST' },
    ]);
    expect(session.getAccess()).toMatchObject({ trashed: false, deletedForGood: false });
    const socket = FakeWebSocket.latest();
    expect(FakeWebSocket.instances).toHaveLength(2);
    socket.accept();
    socket.requestSync(new Y.Doc());
    expect(socket.documentMessages()).toBeGreaterThan(0);
    session.destroy();
  });

  it('stays trashed when the relay will not restore', async () => {
    const { session } = open(404);
    await trashWhileOpen(session);
    await expect(session.restoreFromDevice()).rejects.toThrow(
      'the relay did not restore the document: gone',
    );
    expect(session.getAccess().trashed).toBe(true);
    expect(FakeWebSocket.instances).toHaveLength(1);
    session.destroy();
  });
});
