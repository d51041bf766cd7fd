import 'fake-indexeddb/auto';
import * as encoding from 'lib0/encoding';
import { beforeEach, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DocumentSession } from './document-session.js';
import { LocalCopy, type LocalCopyState } from './local-copy.js';
import { ManualNetworkSignal } from './network-signal.js';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket.js';
import { untilLocalCopyIs } from './testing/local-copy-state.js';

let counter = 0;
const uniqueName = () => `local-copy-test-${++counter}-${Date.now()}`;

describe('LocalCopy', () => {
  it('keeps edits across "reloads": a new doc with the same name loads them', async () => {
    const name = uniqueName();
    const first = new Y.Doc();
    const copy = new LocalCopy(first, name);
    await copy.ready;
    first.getText('content').insert(0, 'kept offline');
    expect(copy.getSnapshot()).toBe('storing');
    await untilLocalCopyIs(copy, 'stored');
    copy.destroy();

    const second = new Y.Doc();
    const reopened = new LocalCopy(second, name);
    await reopened.ready;
    expect(second.getText('content').toString()).toBe('kept offline');
    await untilLocalCopyIs(reopened, 'stored');
    reopened.destroy();
  });

  it('edits made before the stored copy loaded are stored too', async () => {
    const name = uniqueName();
    const doc = new Y.Doc();
    const copy = new LocalCopy(doc, name);
    doc.getText('content').insert(0, 'early');
    await copy.ready;
    await untilLocalCopyIs(copy, 'stored');
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
    await untilLocalCopyIs(copy, 'stored');
    const seen: LocalCopyState[] = [];
    copy.subscribe(() => seen.push(copy.getSnapshot()));
    const text = doc.getText('content');
    for (const char of 'abcdef') text.insert(text.length, char);
    await untilLocalCopyIs(copy, 'stored');
    expect(seen).toEqual(['storing', 'stored']);
    copy.destroy();
  });
});

describe('LocalCopy writing local edits', () => {
  it('writes them after the frame, not in the keystroke, and quick ones in one transaction', async () => {
    const name = uniqueName();
    const doc = new Y.Doc();
    const writes: (() => void)[] = [];
    const copy = new LocalCopy(doc, name, { scheduleLocalWrite: (write) => writes.push(write) });
    await copy.ready;
    await untilLocalCopyIs(copy, 'stored');
    const before = await storedRecords(name);
    const text = doc.getText('content');
    for (const char of 'abc') text.insert(text.length, char);
    expect(copy.getSnapshot()).toBe('storing');
    expect(writes).toHaveLength(1);
    // A read opened now runs after any write opened before it: nothing was written yet.
    expect(await storedRecords(name)).toBe(before);
    expect(copy.getSnapshot()).toBe('storing');
    writes[0]?.();
    await untilLocalCopyIs(copy, 'stored');
    expect(await storedRecords(name)).toBe(before + 1);
    expect(await reopenedText(name)).toBe('abc');
    copy.destroy();
  });

  it('writes an edit still waiting when the copy is closed', async () => {
    const name = uniqueName();
    const doc = new Y.Doc();
    const copy = new LocalCopy(doc, name, { scheduleLocalWrite: () => undefined });
    await copy.ready;
    doc.getText('content').insert(0, 'last words');
    copy.destroy();
    expect(await reopenedText(name)).toBe('last words');
  });
});

/** The relay's transaction origin, as the provider would be. */
const RELAY = { name: 'relay' };

/** An update from another user that inserts `text` at the start of their document. */
function remoteEdit(text: string): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, text);
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}

/** Records in the document's IndexedDB update store: one per write transaction. */
function storedRecords(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error ?? new Error('open failed'));
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction(['updates'], 'readonly').objectStore('updates').count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
      count.onerror = () => reject(count.error ?? new Error('count failed'));
    };
  });
}

/** Opens another copy of `name` in a fresh document and returns its text. */
async function reopenedText(name: string): Promise<string> {
  const doc = new Y.Doc();
  const copy = new LocalCopy(doc, name);
  await copy.ready;
  const text = doc.getText('content').toString();
  copy.destroy();
  return text;
}

/** A fresh, loaded copy whose updates with origin RELAY come from the relay. */
async function copyWithRelay(remoteDelayMs: number) {
  const name = uniqueName();
  const doc = new Y.Doc();
  const copy = new LocalCopy(doc, name, { isRemote: (o) => o === RELAY, remoteDelayMs });
  await copy.ready;
  await untilLocalCopyIs(copy, 'stored');
  return { name, doc, copy };
}

describe('LocalCopy and updates from the relay', () => {
  it('writes them later and together, and they do not make this device "storing"', async () => {
    const { name, doc, copy } = await copyWithRelay(50);
    const before = await storedRecords(name);
    const states: LocalCopyState[] = [];
    copy.subscribe(() => states.push(copy.getSnapshot()));
    for (const word of ['one ', 'two ', 'three '])
      Y.applyUpdate(doc, remoteEdit(word).update, RELAY);
    // A read opened now runs after any write opened before it: nothing was written yet.
    expect(await storedRecords(name)).toBe(before);
    await expect.poll(() => storedRecords(name)).toBe(before + 1);
    expect(states).toEqual([]);
    expect(await reopenedText(name)).toBe(doc.getText('content').toString());
    copy.destroy();
  });

  it('writes them before a local edit that builds on them, so the edit survives a crash', async () => {
    // The timer never fires here: only the local edit can have written the relay's update.
    const { name, doc, copy } = await copyWithRelay(60_000);
    Y.applyUpdate(doc, remoteEdit('remote').update, RELAY);
    doc.getText('content').insert(3, 'X');
    await untilLocalCopyIs(copy, 'stored');
    // Read back without destroying the first copy, as after a crash.
    expect(await reopenedText(name)).toBe('remXote');
    copy.destroy();
  });

  it('writes the waiting ones when the copy is closed', async () => {
    const { name, doc, copy } = await copyWithRelay(60_000);
    Y.applyUpdate(doc, remoteEdit('from the relay').update, RELAY);
    copy.destroy();
    expect(await reopenedText(name)).toBe('from the relay');
  });
});

/** A session on `name` that keeps a local copy, against the fake relay. */
function sessionWithLocalCopy(name: string): DocumentSession {
  return new DocumentSession({
    relayUrl: 'ws://relay.test',
    docName: name,
    user: { name: 'Ada', color: '#6e56cf' },
    persistLocally: true,
    WebSocketPolyfill: FakeWebSocketPolyfill,
    network: new ManualNetworkSignal(true),
  });
}

describe('DocumentSession with a local copy', () => {
  beforeEach(() => FakeWebSocket.reset());

  // Opening (the relay connection starts while the stored copy is read): see
  // document-session-open.test.ts.

  it("treats updates that arrive from the relay as the relay's, and local edits as local", async () => {
    const name = uniqueName();
    const session = sessionWithLocalCopy(name);
    await session.ready;
    await expect.poll(() => session.saveStatus.getSnapshot().local).toBe('stored');
    const states: string[] = [];
    session.saveStatus.subscribe(() => states.push(session.saveStatus.getSnapshot().local));
    const socket = FakeWebSocket.latest();
    socket.accept();
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 0); // sync
    syncProtocol.writeUpdate(message, remoteEdit('from Bo').update);
    socket.deliver(encoding.toUint8Array(message));
    expect(session.text.toString()).toBe('from Bo');
    // The relay's update leaves this device's copy "stored"; a local edit does not.
    expect(states).not.toContain('storing');
    session.text.insert(0, '> ');
    expect(session.saveStatus.getSnapshot().local).toBe('storing');
    await expect.poll(() => session.saveStatus.getSnapshot().local).toBe('stored');
    session.destroy();
    expect(await reopenedText(`weft:${name}`)).toBe('> from Bo');
  });
});
