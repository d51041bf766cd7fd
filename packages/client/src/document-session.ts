/**
 * Opens one shared document: a Y.Doc kept in IndexedDB, synced through the relay with an
 * official y-websocket provider, the user's presence in its awareness, and a truthful save
 * status.
 *
 * Order matters: the stored copy is loaded first (`ready`), then the relay connection starts.
 * So a document reopened offline shows its last known content before anything else, and the
 * first sync only exchanges what the relay and this browser do not both have.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { BackoffPolicy } from './backoff';
import { TitleStore } from './document-title';
import { LocalCopy } from './local-copy';
import { browserNetworkSignal, type NetworkSignal } from './network-signal';
import { RelayConnection } from './relay-connection';
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
  /** Default: the browser's online/offline events (always online without a window). */
  readonly network?: NetworkSignal;
  /** Reconnect backoff; default `DEFAULT_BACKOFF`. */
  readonly backoff?: BackoffPolicy;
}

/** The awareness field y-codemirror.next and the presence bar read. */
export interface AwarenessUser {
  readonly name: string;
  readonly color: string;
  readonly colorLight: string;
}

export class DocumentSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly connection: RelayConnection;
  readonly saveStatus: SaveStatusTracker;
  readonly title: TitleStore;
  /** Resolves when the stored copy (if any) is loaded and the relay connection has started. */
  readonly ready: Promise<void>;
  private readonly local: LocalCopy | null;
  private user: UserIdentity;
  private destroyed = false;

  constructor(options: DocumentSessionOptions) {
    this.local = options.persistLocally ? new LocalCopy(this.doc, `weft:${options.docName}`) : null;
    this.provider = new WebsocketProvider(options.relayUrl, options.docName, this.doc, {
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      // RelayConnection decides when to connect.
      connect: false,
      // Tabs of one browser sync through the relay like any two users: a BroadcastChannel
      // shortcut would make a tab look "saved" to its neighbour without the relay.
      disableBc: true,
    });
    this.connection = new RelayConnection(this.provider, {
      network: options.network ?? browserNetworkSignal(),
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
    this.saveStatus = new SaveStatusTracker(this.doc, this.connection, this.local);
    this.title = new TitleStore(this.doc);
    this.user = options.user;
    this.setUser();
    this.ready = (this.local?.ready ?? Promise.resolve()).then(() => {
      if (!this.destroyed) this.connection.start();
    });
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
    const awarenessUser: AwarenessUser = {
      name: user.name,
      color: user.color,
      colorLight: `${user.color}33`,
    };
    // setLocalStateField is a no-op after leave() cleared the state, so set the whole state.
    this.awareness.setLocalState({
      ...(this.awareness.getLocalState() ?? {}),
      user: awarenessUser,
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
    this.title.destroy();
    this.saveStatus.destroy();
    this.connection.destroy();
    this.provider.destroy();
    this.local?.destroy();
    this.doc.destroy();
  }
}
