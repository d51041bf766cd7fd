import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentSession } from './document-session';
import { LocalCopy, type LocalCopyState } from './local-copy';
import { ManualNetworkSignal } from './network-signal';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket';

let counter = 0;
const uniqueName = () => `local-copy-test-${++counter}-${Date.now()}`;

/** Resolves once `copy` reaches `state`. */
function until(copy: LocalCopy, state: LocalCopyState): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (copy.getSnapshot() === state) {
        unsubscribe();
        resolve();
      }
    };
    const unsubscribe = copy.subscribe(check);
    check();
  });
}

describe('LocalCopy', () => {
  it('keeps edits across "reloads": a new doc with the same name loads them', async () => {
    const name = uniqueName();
    const first = new Y.Doc();
    const copy = new LocalCopy(first, name);
    await copy.ready;
    first.getText('content').insert(0, 'kept offline');
    expect(copy.getSnapshot()).toBe('storing');
    await until(copy, 'stored');
    copy.destroy();

    const second = new Y.Doc();
    const reopened = new LocalCopy(second, name);
    await reopened.ready;
    expect(second.getText('content').toString()).toBe('kept offline');
    await until(reopened, 'stored');
    reopened.destroy();
  });

  it('edits made before the stored copy loaded are stored too', async () => {
    const name = uniqueName();
    const doc = new Y.Doc();
    const copy = new LocalCopy(doc, name);
    doc.getText('content').insert(0, 'early');
    await copy.ready;
    await until(copy, 'stored');
    copy.destroy();

    const again = new Y.Doc();
    const reopened = new LocalCopy(again, name);
    await reopened.ready;
    expect(again.getText('content').toString()).toBe('early');
    reopened.destroy();
  });

  it('says "stored" only after the last of many quick edits is committed', async () => {
    const doc = new Y.Doc();
    const copy = new LocalCopy(doc, uniqueName());
    await copy.ready;
    await until(copy, 'stored');
    const seen: LocalCopyState[] = [];
    copy.subscribe(() => seen.push(copy.getSnapshot()));
    const text = doc.getText('content');
    for (const char of 'abcdef') text.insert(text.length, char);
    await until(copy, 'stored');
    expect(seen).toEqual(['storing', 'stored']);
    copy.destroy();
  });
});

describe('DocumentSession with a local copy', () => {
  beforeEach(() => FakeWebSocket.reset());

  it('loads the stored copy before it connects to the relay', async () => {
    const name = uniqueName();
    const seed = new Y.Doc();
    const seedCopy = new LocalCopy(seed, `weft:${name}`);
    await seedCopy.ready;
    seed.getText('content').insert(0, 'from last time');
    await until(seedCopy, 'stored');
    seedCopy.destroy();

    const session = new DocumentSession({
      relayUrl: 'ws://relay.test',
      docName: name,
      user: { name: 'Ada', color: '#6e56cf' },
      persistLocally: true,
      WebSocketPolyfill: FakeWebSocketPolyfill,
      network: new ManualNetworkSignal(true),
    });
    expect(FakeWebSocket.instances).toHaveLength(0);
    await session.ready;
    expect(session.text.toString()).toBe('from last time');
    expect(FakeWebSocket.instances).toHaveLength(1);
    session.destroy();
  });
});
