/** The part of y-leveldb 0.1 (a dependency of the y-websocket@2.1.0 server) this benchmark uses; the package ships no declarations. */
declare module 'y-leveldb' {
  export class LeveldbPersistence {
    constructor(location: string);
    /** Appends one update to the document's log (what bin/server.cjs does on every change). */
    storeUpdate(docName: string, update: Uint8Array): Promise<number>;
    /** Closes the database. */
    destroy(): Promise<void>;
  }
}
