/**
 * The IndexedDB database behind a document's local copy, opened before the code that reads
 * it has even loaded.
 *
 * Opening a database the first time creates it, and the first open in a page starts the
 * browser's storage for the origin: on a cold open that took 120–170 ms, and the editor
 * waits for the stored copy before it shows the text. A page that knows which document it
 * will open (its address says) can start that in its first script, so that it overlaps
 * loading and running the editor's code; the local copy's own open then finds the database
 * ready. And a database this open had to create holds no stored copy, so the relay
 * connection need not wait for reading one (`DocumentSessionOptions.storedCopyKnownEmpty`).
 * This module has no Yjs in it, so that the page's first script stays small.
 *
 * The upgrade creates exactly the stores y-indexeddb 9 creates (`updates`, with generated
 * keys, and `custom`); a test checks that the two agree.
 */

/** The database name of `docName`'s local copy (DocumentSession's default prefix). */
export function localCopyDatabaseName(docName: string, prefix = 'weft:'): string {
  return `${prefix}${docName}`;
}

/**
 * Starts opening (creating, the first time) the local copy's database of `docName`, and
 * closes the connection as soon as it is open: it must never hold up another connection's
 * upgrade or a deletion. Does nothing where IndexedDB is missing; failures are left to the
 * local copy to meet and report. Resolves, once the connection is closed again, to whether
 * the database was created just now (so it holds no stored copy: `storedCopyKnownEmpty`);
 * false when that is not known.
 */
export function openLocalCopyDatabaseEarly(docName: string, prefix?: string): Promise<boolean> {
  let created = false;
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') {
      resolve(false);
      return;
    }
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(localCopyDatabaseName(docName, prefix));
    } catch {
      resolve(false);
      return;
    }
    request.onupgradeneeded = (event) => {
      created = event.oldVersion === 0;
      const db = request.result;
      if (!db.objectStoreNames.contains('updates')) {
        db.createObjectStore('updates', { autoIncrement: true });
      }
      if (!db.objectStoreNames.contains('custom')) db.createObjectStore('custom');
    };
    request.onsuccess = () => {
      request.result.close();
      resolve(created);
    };
    request.onerror = (event) => {
      event.preventDefault();
      resolve(false);
    };
    // Another tab holds an older version open: the local copy's own open will wait the same.
    request.onblocked = () => resolve(false);
  });
}
