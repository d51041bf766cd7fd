/**
 * Opens one shared document: a Y.Doc synced through the relay with an official y-websocket
 * provider, the user's presence in its awareness, and a truthful save status.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { SaveStatusTracker } from './save-status';
import type { UserIdentity } from './user-identity';

export interface DocumentSessionOptions {
  /** `ws://host:port` or `wss://host` of the relay; the document name is appended. */
  readonly relayUrl: string;
  readonly docName: string;
  readonly user: UserIdentity;
  /**
   * Keep the document in the browser's IndexedDB, so edits survive reloads while offline.
   * Default false (Node has no IndexedDB).
   */
  readonly persistLocally?: boolean;
  /** WebSocket implementation, for Node. Default: the browser's. */
  readonly WebSocketPolyfill?: typeof WebSocket;
}

export class DocumentSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly saveStatus: SaveStatusTracker;
  private readonly local: IndexeddbPersistence | null;
  private user: UserIdentity;
  private destroyed = false;

  constructor(options: DocumentSessionOptions) {
    this.local = options.persistLocally
      ? new IndexeddbPersistence(`weft:${options.docName}`, this.doc)
      : null;
    this.provider = new WebsocketProvider(options.relayUrl, options.docName, this.doc, {
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      maxBackoffTime: 5000,
    });
    this.saveStatus = new SaveStatusTracker(this.doc, this.provider);
    this.user = options.user;
    this.setUser();
  }

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  /** The document body every editor binds to. */
  get text(): Y.Text {
    return this.doc.getText('content');
  }

  /** Publishes the user's name and colour as y-codemirror.next expects them. */
  setUser(user: UserIdentity = this.user): void {
    this.user = user;
    // setLocalStateField is a no-op after leave() cleared the state, so set the whole state.
    this.awareness.setLocalState({
      ...(this.awareness.getLocalState() ?? {}),
      user: { name: user.name, color: user.color, colorLight: `${user.color}33` },
    });
  }

  /** Removes this user's presence for everyone now, rather than after the 30 s timeout. */
  leave(): void {
    this.awareness.setLocalState(null);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.leave();
    this.saveStatus.destroy();
    this.provider.destroy();
    void this.local?.destroy();
    this.doc.destroy();
  }
}
