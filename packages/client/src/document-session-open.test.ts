/**
 * Opening a document with a local copy: the relay connection starts at once, while the stored
 * copy is read, but the provider hears the socket only once the stored copy is merged; what
 * the stored copy holds that the relay lacks reaches the relay and counts as unsaved until
 * the relay acknowledges storing it.
 */
import 'fake-indexeddb/auto';
import { encodeStoredCountAck } from '@weft/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentSession } from './document-session.js';
import { LocalCopy } from './local-copy.js';
import { localCopyDatabaseName } from './local-copy-database.js';
import { ManualNetworkSignal } from './network-signal.js';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket.js';
import { untilLocalCopyIs } from './testing/local-copy-state.js';

let counter = 0;
const uniqueName = () => `session-open-test-${++counter}-${Date.now()}`;

/** Leaves `text` in the local copy of `name`, as a session closed while offline would. */
async function storeOffline(name: string, text: string): Promise<void> {
  const doc = new Y.Doc();
  const copy = new LocalCopy(doc, localCopyDatabaseName(name));
  await copy.ready;
  doc.getText('content').insert(0, text);
  await untilLocalCopyIs(copy, 'stored');
  copy.destroy();
}

function open(name: string, storedCopyKnownEmpty?: Promise<boolean>): DocumentSession {
  return new DocumentSession({
    ...(storedCopyKnownEmpty ? { storedCopyKnownEmpty } : {}),
    relayUrl: 'ws://relay.test',
    docName: name,
    user: { name: 'Ada', color: '#6e56cf' },
    persistLocally: true,
    WebSocketPolyfill: FakeWebSocketPolyfill,
    network: new ManualNetworkSignal(true),
  });
}

/** The relay accepts the socket and runs the handshake as the real one does. */
function connect(socket: FakeWebSocket, relayDoc: Y.Doc): void {
  socket.accept();
  socket.requestSync(relayDoc);
  socket.completeSync(relayDoc);
}

/** What the relay would hold after applying every document message the client sent. */
function relayView(socket: FakeWebSocket, relayDoc: Y.Doc): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(relayDoc));
  for (const frame of socket.sent) {
    // [0 sync][1 step 2 | 2 update][varUint length][update]
    if (frame[0] !== 0 || (frame[1] !== 1 && frame[1] !== 2)) continue;
    let offset = 2;
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = frame[offset++] ?? 0;
      length += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    Y.applyUpdate(doc, frame.subarray(offset, offset + length));
  }
  return doc.getText('content').toString();
}

describe('DocumentSession opening with a local copy', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('connects to the relay while the stored copy is read', async () => {
    const name = uniqueName();
    await storeOffline(name, 'from last time');
    const session = open(name);
    // The socket exists before the stored copy has been read.
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(session.text.toString()).toBe('');
    await session.ready;
    expect(session.text.toString()).toBe('from last time');
    session.destroy();
  });

  it('holds what the relay says until the stored copy is merged, then syncs as if connected after', async () => {
    const name = uniqueName();
    await storeOffline(name, 'written offline');
    const relayDoc = new Y.Doc();
    relayDoc.getText('content').insert(0, 'on the relay. ');
    const session = open(name);
    const socket = FakeWebSocket.latest();
    // The relay accepts and speaks before IndexedDB has answered: the provider hears none of it.
    connect(socket, relayDoc);
    expect(socket.sent).toHaveLength(0);
    expect(session.text.toString()).toBe('');
    expect(session.saveStatus.getSnapshot().state).toBe('connecting');

    await session.ready;
    // Released, the provider hears what the relay said and answers it: the two copies meet.
    await expect
      .poll(() => session.text.toString())
      .toHaveLength('on the relay. written offline'.length);
    const merged = session.text.toString();
    expect(merged).toContain('on the relay. ');
    expect(merged).toContain('written offline');
    expect(merged).toHaveLength('on the relay. written offline'.length);
    // The provider's SyncStep1 carried the stored copy's state vector.
    const step1 = socket.sent.find((frame) => frame[0] === 0 && frame[1] === 0);
    expect(step1).toBeDefined();
    expect(step1?.length).toBeGreaterThan(3);
    // Its SyncStep2 carried the offline edit, which stays unsaved until acknowledged.
    expect(relayView(socket, relayDoc)).toBe(merged);
    expect(session.saveStatus.getSnapshot()).toMatchObject({ state: 'syncing', unsaved: 1 });
    socket.deliver(encodeStoredCountAck(socket.documentMessages()));
    expect(session.saveStatus.getSnapshot()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });

  it('a socket that closes while held is a failed attempt; the next one is not held', async () => {
    const name = uniqueName();
    await storeOffline(name, 'written offline');
    const session = open(name);
    const first = FakeWebSocket.latest();
    first.accept();
    first.fail();
    expect(session.connection.getSnapshot().phase).not.toBe('synced');
    await session.ready;
    // Released, the provider hears the close: one failed attempt.
    await expect.poll(() => session.connection.getSnapshot().failures).toBe(1);
    // Nothing held on the closed socket reaches the provider afterwards.
    expect(first.sent).toHaveLength(0);
    session.connection.retryNow();
    const second = FakeWebSocket.latest();
    expect(second).not.toBe(first);
    connect(second, new Y.Doc());
    expect(relayView(second, new Y.Doc())).toBe('written offline');
    expect(session.saveStatus.getSnapshot()).toMatchObject({ state: 'syncing', unsaved: 1 });
    session.destroy();
  });

  it('does not hold the relay for a stored copy known to be empty (its database created just now)', async () => {
    const heard = async (knownEmpty: Promise<boolean> | undefined): Promise<string[]> => {
      const name = uniqueName();
      const session = open(name, knownEmpty);
      const events: string[] = [];
      session.text.observe(() => events.push('relay text'));
      void session.ready.then(() => events.push('stored copy read'));
      const relayDoc = new Y.Doc();
      relayDoc.getText('content').insert(0, 'on the relay');
      connect(FakeWebSocket.latest(), relayDoc);
      await session.ready;
      await expect.poll(() => session.text.toString()).toBe('on the relay');
      session.destroy();
      return events;
    };
    expect(await heard(Promise.resolve(true))).toEqual(['relay text', 'stored copy read']);
    // Not known to be empty: held until the stored copy is read, as always.
    expect(await heard(Promise.resolve(false))).toEqual(['stored copy read', 'relay text']);
    expect(await heard(undefined)).toEqual(['stored copy read', 'relay text']);
  });

  it('a stored edit merged before the socket opens travels in the first SyncStep2', async () => {
    const name = uniqueName();
    await storeOffline(name, 'written offline');
    const session = open(name);
    await session.ready;
    const relayDoc = new Y.Doc();
    const socket = FakeWebSocket.latest();
    connect(socket, relayDoc);
    await expect.poll(() => relayView(socket, relayDoc)).toBe('written offline');
    expect(session.saveStatus.getSnapshot()).toMatchObject({ state: 'syncing', unsaved: 1 });
    socket.deliver(encodeStoredCountAck(socket.documentMessages()));
    expect(session.saveStatus.getSnapshot()).toMatchObject({ state: 'saved', unsaved: 0 });
    session.destroy();
  });
});
