/**
 * The counted saved acknowledgement (type 101) end to end: Weft's own client
 * (`DocumentSession`, over `ws`) against the relay, with storage that can be held, and a real
 * relay process killed with SIGKILL right after "saved".
 */
import { DocumentSession, metaMap, type SaveState } from '@weft/client';
import { MemoryDocStore } from '@weft/storage';
import {
  connectYjsClient,
  FaultyStore,
  startRelayProcess,
  tempDir,
  waitUntil,
  type RelayProcess,
  type TempDir,
} from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { secretKey, signToken, type Role } from './auth';
import type { Relay } from './relay';
import { useRelayHarness, wsUrl } from './test-support';

const sessions: DocumentSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});

function openSession(relayUrl: string, docName: string, token?: string): DocumentSession {
  const session = new DocumentSession({
    relayUrl,
    docName,
    token: token ?? null,
    user: { name: 'Ada', color: '#6e56cf' },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  sessions.push(session);
  return session;
}

const stateOf = (session: DocumentSession): SaveState => session.saveStatus.getSnapshot().state;

describe('counted saved acknowledgements', () => {
  const harness = useRelayHarness();

  async function setup(): Promise<{ store: FaultyStore; relay: Relay }> {
    const store = new FaultyStore(new MemoryDocStore());
    return { store, relay: await harness.start({ store }) };
  }

  /** Holds storage, makes `edit`, and checks the session never says saved while held. */
  async function editWhileHeld(
    store: FaultyStore,
    relay: Relay,
    session: DocumentSession,
    docName: string,
    edit: () => void,
    reachedRelay: () => boolean,
  ): Promise<void> {
    store.hold();
    const appendsBefore = store.calls.append;
    edit();
    await waitUntil(reachedRelay, 'the edit reached the relay');
    await waitUntil(() => store.calls.append > appendsBefore, 'its write started');
    expect(relay.rooms.peek(docName)?.persister.dirty).toBe(true);
    expect(stateOf(session)).toBe('syncing');
    expect(session.saveStatus.getSnapshot().unsaved).toBe(1);
    store.release();
    await waitUntil(() => stateOf(session) === 'saved', 'saved once the write completed');
  }

  it('a deletion is "syncing" while its write is held, "saved" once it completes', async () => {
    const { store, relay } = await setup();
    const session = openSession(wsUrl(relay), 'deletion');
    await session.ready;
    session.text.insert(0, 'keep this, drop that');
    await waitUntil(() => stateOf(session) === 'saved', 'first edit saved');
    const room = () => relay.rooms.peek('deletion');
    await editWhileHeld(
      store,
      relay,
      session,
      'deletion',
      () => session.text.delete(10, 10),
      () => room()?.doc.getText('content').toString() === 'keep this,',
    );
  });

  it('a title change is "syncing" while its write is held', async () => {
    const { store, relay } = await setup();
    const session = openSession(wsUrl(relay), 'retitled');
    await session.ready;
    metaMap(session.doc).set('title', 'First');
    await waitUntil(() => stateOf(session) === 'saved', 'first title saved');
    await editWhileHeld(
      store,
      relay,
      session,
      'retitled',
      () => metaMap(session.doc).set('title', 'Second'),
      () => relay.rooms.peek('retitled')?.doc.getMap('meta').get('title') === 'Second',
    );
  });

  it('an edit that changes nothing on the relay waits for the write that holds it', async () => {
    const { store, relay } = await setup();
    const first = openSession(wsUrl(relay), 'same-delete');
    const second = openSession(wsUrl(relay), 'same-delete');
    await Promise.all([first.ready, second.ready]);
    first.text.insert(0, 'abcdef');
    await waitUntil(
      () => stateOf(first) === 'saved' && second.text.toString() === 'abcdef',
      'both have the text',
    );
    await waitUntil(() => stateOf(second) === 'saved', 'second saved');
    store.hold();
    // Both delete the same characters: the second deletion is a no-op for the relay, but it
    // is only stored once the first one's write is.
    second.connection.stop();
    first.text.delete(0, 3);
    second.text.delete(0, 3);
    await waitUntil(
      () => relay.rooms.peek('same-delete')?.doc.getText('content').toString() === 'def',
      'the first deletion reached the relay',
    );
    second.connection.start();
    await waitUntil(() => second.connection.getSnapshot().phase === 'synced', 'second resynced');
    expect(stateOf(second)).toBe('syncing');
    store.release();
    await waitUntil(() => stateOf(second) === 'saved', 'second saved after the write');
  });

  it('a reader is saved when it holds nothing new, never when it made edits', async () => {
    const key = secretKey('a-secret-of-at-least-thirty-two-characters');
    const relay = await harness.start({ store: new MemoryDocStore() }, { authKey: key });
    const token = (role: Role) =>
      signToken({ userId: `user-${role}`, doc: 'read-only', role, ttlSeconds: 600 }, key);
    const writer = openSession(wsUrl(relay), 'read-only', await token('write'));
    await writer.ready;
    writer.text.insert(0, 'written by the writer');
    await waitUntil(() => stateOf(writer) === 'saved', 'writer saved');
    const reader = openSession(wsUrl(relay), 'read-only', await token('read'));
    await reader.ready;
    await waitUntil(() => stateOf(reader) === 'saved', 'reader with no edits saved');
    // A reader's edit (the editor is read-only; the document is not) is never applied, and
    // everything it sends afterwards stays unacknowledged, however long it waits.
    reader.text.delete(0, 8);
    writer.text.insert(writer.text.length, '!');
    await waitUntil(() => stateOf(writer) === 'saved', 'writer saved again');
    await waitUntil(() => reader.text.toString().endsWith('!'), 'reader got the new edit');
    expect(stateOf(reader)).toBe('syncing');
    expect(relay.rooms.peek('read-only')?.doc.getText('content').toString()).toBe(
      'written by the writer!',
    );
  });

  it('keeps type 100 working beside type 101', async () => {
    const { relay } = await setup();
    const session = openSession(wsUrl(relay), 'both-kinds');
    const plain = harness.connect(relay, 'both-kinds', { savedAcks: true });
    await session.ready;
    session.text.insert(0, 'two clients, two kinds of acknowledgement');
    await waitUntil(() => stateOf(session) === 'saved', 'counted client saved');
    await waitUntil(() => plain.isSaved(), 'state-vector client saved');
  });
});

describe('after SIGKILL right after "saved"', () => {
  let relay: RelayProcess | undefined;
  let data: TempDir | undefined;
  afterEach(async () => {
    await relay?.stop('SIGKILL');
    await data?.remove();
  });

  it('the deletion and the title change are on disk', async () => {
    data = await tempDir('weft-stored-count-');
    relay = await startRelayProcess({ dataDir: data.path });
    const session = openSession(relay.url, 'killed');
    await session.ready;
    session.text.insert(0, 'one two three');
    await waitUntil(() => stateOf(session) === 'saved', 'text saved');
    session.text.delete(3, 4); // ' two'
    metaMap(session.doc).set('title', 'After the kill');
    await waitUntil(() => stateOf(session) === 'saved', 'deletion and title saved');
    const { port } = relay;
    await relay.stop('SIGKILL');
    session.connection.stop();
    relay = await startRelayProcess({ dataDir: data.path, port });
    const fresh = connectYjsClient(relay.url, 'killed', { savedAcks: false });
    try {
      await waitUntil(() => fresh.provider.synced, 'fresh reader synced');
      expect(fresh.text.toString()).toBe('one three');
      expect(fresh.doc.getMap('meta').get('title')).toBe('After the kill');
    } finally {
      fresh.destroy();
    }
  });
});
