import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { LocalCopy } from './local-copy.js';
import { localCopyDatabaseName, openLocalCopyDatabaseEarly } from './local-copy-database.js';

let counter = 0;
const uniqueDoc = () => `early-open-test-${++counter}-${Date.now()}`;

/** The stores of database `name`, each with its key settings. */
function storesOf(name: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onerror = () => reject(request.error ?? new Error(`cannot open ${name}`));
    request.onsuccess = () => {
      const db = request.result;
      const stores: Record<string, unknown> = { version: db.version };
      if (db.objectStoreNames.length > 0) {
        const tx = db.transaction([...db.objectStoreNames], 'readonly');
        for (const store of db.objectStoreNames) {
          const { autoIncrement, keyPath } = tx.objectStore(store);
          stores[store] = { autoIncrement, keyPath };
        }
      }
      db.close();
      resolve(stores);
    };
  });
}

describe('openLocalCopyDatabaseEarly', () => {
  it('creates the database exactly as y-indexeddb does', async () => {
    const early = uniqueDoc();
    await openLocalCopyDatabaseEarly(early);
    const byYIndexeddb = localCopyDatabaseName(uniqueDoc());
    const persistence = new IndexeddbPersistence(byYIndexeddb, new Y.Doc());
    await persistence.whenSynced;
    await persistence.destroy();
    const ours = await storesOf(localCopyDatabaseName(early));
    expect(Object.keys(ours)).toContain('updates');
    expect(ours).toEqual(await storesOf(byYIndexeddb));
  });

  it('says whether it created the database (then it holds no stored copy)', async () => {
    const docName = uniqueDoc();
    expect(await openLocalCopyDatabaseEarly(docName)).toBe(true);
    expect(await openLocalCopyDatabaseEarly(docName)).toBe(false);
    // A copy y-indexeddb made first is not "created just now" either.
    const other = uniqueDoc();
    const persistence = new IndexeddbPersistence(localCopyDatabaseName(other), new Y.Doc());
    await persistence.whenSynced;
    await persistence.destroy();
    expect(await openLocalCopyDatabaseEarly(other)).toBe(false);
  });

  it('leaves a database the local copy then reads and writes as usual', async () => {
    const docName = uniqueDoc();
    await openLocalCopyDatabaseEarly(docName);
    const first = new Y.Doc();
    const copy = new LocalCopy(first, localCopyDatabaseName(docName));
    await copy.ready;
    first.getText('content').insert(0, 'kept');
    copy.destroy();

    const again = new Y.Doc();
    const reopened = new LocalCopy(again, localCopyDatabaseName(docName));
    await reopened.ready;
    expect(again.getText('content').toString()).toBe('kept');
    reopened.destroy();
  });

  it('keeps no connection open that would hold up deleting the database', async () => {
    const docName = uniqueDoc();
    const name = localCopyDatabaseName(docName);
    const opening = openLocalCopyDatabaseEarly(docName);
    const deleted = new Promise<string>((resolve) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve('deleted');
      request.onblocked = () => resolve('blocked');
    });
    await opening;
    expect(await deleted).toBe('deleted');
  });
});
