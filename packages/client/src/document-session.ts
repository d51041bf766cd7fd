/**
 * Opens one shared document: a Y.Doc kept in IndexedDB, synced through the relay with an
 * official y-websocket provider, the user's presence in its awareness, and a truthful save
 * status.
 *
 * Opening: the relay connection starts at once, while the stored copy is read (`ready` says
 * when that is merged), so the socket's handshake does not wait for IndexedDB. But the first
 * socket is held (`heldUntil`): y-websocket sees it open, and hears the relay, only once the
 * stored copy is merged, so the sync is the same as if it had connected after: its SyncStep1
 * carries the stored copy's state vector (the relay sends only what this browser lacks), and
 * its SyncStep2 carries whatever the stored copy holds that the relay does not, which
 * `UnsavedEdits` counts until the relay acknowledges storing it. A document in the trash or
 * deleted for good is refused at the upgrade, before anything is sent.
 *
 * Access: in secured mode the relay wants a token (sent as y-websocket's `params: { token }`).
 * When the relay will not let this session in — the token expired (close code 4401, or its
 * `exp` has passed before connecting), or an attempt failed and `checkAccess` says the relay
 * refuses the token (or the lack of one) — the session stops connecting and says why in
 * `access`. A refusal the operator must fix (the page's origin, too many connections from one
 * address, the document name) is reported in `access.refusal` while the session keeps
 * retrying. Nothing is lost meanwhile: the Y.Doc and the local copy keep every edit, and
 * `setToken` reconnects with a fresh token, after which the usual sync merges them.
 *
 * The trash: when the relay closes with 4404 the document was moved to the trash. The session
 * sets `access.trashed` and stops connecting, keeping the Y.Doc and its local copy, but never
 * syncs them on its own (not after `setToken`, nor when the network comes back): a browser's
 * offline copy must not bring a trashed document back silently. Only `restoreFromDevice()`
 * does, by asking the relay to restore it and then reconnecting, so this device's edits merge
 * as after any reconnect. A document deleted for good is closed with 4410 (the relay keeps a
 * tombstone of its name for the trash retention): the session sets `access.trashed` and
 * `access.deletedForGood` and behaves the same, and `restoreFromDevice()` then starts the
 * document again on the relay from this device's copy.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import {
  decodeAccessToken,
  isExpired,
  type AccessClaims,
  type AccessRole,
} from './access-token.js';
import type { BackoffPolicy } from './backoff.js';
import { TitleStore } from './document-title.js';
import { localCopyDatabaseName } from './local-copy-database.js';
import { LocalCopy } from './local-copy.js';
import { browserNetworkSignal, type NetworkSignal } from './network-signal.js';
import { RelayConnection } from './relay-connection.js';
import { SaveStatusTracker } from './save-status.js';
import { UnsavedEdits, countingWebSocket } from './unsaved-edits.js';
import type { UserIdentity } from './user-identity.js';

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
  /** The access token for this document (secured mode); none in local mode. */
  readonly token?: string | null;
  /**
   * Asks the relay, after a failed connection attempt, whether it refuses `token` (a browser
   * cannot read the HTTP status of a refused WebSocket upgrade). Without it, a refused
   * upgrade looks like an unreachable relay and is retried with backoff.
   */
  readonly checkAccess?: AccessCheck;
  /** Epoch ms; injected by tests. */
  readonly now?: () => number;
  /**
   * Name of the shared `Y.Text` that `text` returns (`doc.getText(textName)`). Default
   * `content`, Weft's own; an application with its own documents chooses its own.
   */
  readonly textName?: string;
  /**
   * Prefix of the IndexedDB database that keeps the local copy (the document name follows).
   * Default `weft:`; give each application its own, so that two on one origin never share.
   */
  readonly localStorePrefix?: string;
  /**
   * Resolves true when there is certainly no stored copy yet: `openLocalCopyDatabaseEarly`
   * has just created the database. The relay connection is then not held for reading it (the
   * first SyncStep1 would carry an empty state vector either way), so a document opened for
   * the first time syncs while the page is still rendering.
   */
  readonly storedCopyKnownEmpty?: Promise<boolean>;
  /** `fetch` for `restoreFromDevice`; default the global one (injected by tests). */
  readonly fetch?: typeof fetch;
}

/** The close code of a document moved to the trash. */
export const TRASHED_CLOSE_CODE = 4404;
/** The close code of a document deleted for good (the relay remembers its name). */
export const PURGED_CLOSE_CODE = 4410;

/**
 * A refusal that no token can fix, because the relay's configuration decides it:
 * - `origin`: the relay does not accept sockets from this page's `origin`; it accepts
 *   `publicOrigin` (null: it cannot tell its own public address);
 * - `address-limit`: this network address holds the most connections the relay allows
 *   (`limit`, when it said);
 * - `name`: the relay refuses the document name, for `reason`.
 */
export type RelayRefusal =
  | {
      readonly kind: 'origin';
      readonly origin: string | null;
      readonly publicOrigin: string | null;
    }
  | { readonly kind: 'address-limit'; readonly limit: number | null }
  | { readonly kind: 'name'; readonly reason: string };

/**
 * What the relay says about a socket this session would open: `granted`, `refused` (the
 * token: HTTP 401/403), a `RelayRefusal`, or `unknown` (it could not be asked).
 */
export type AccessVerdict = 'granted' | 'refused' | 'unknown' | RelayRefusal;

export type AccessCheck = (token: string | null) => Promise<AccessVerdict>;

/**
 * Why the relay does not let this session in:
 * - `missing`: the relay needs a token and the session has none;
 * - `expired`: the token expired;
 * - `refused`: the relay refused the token for another reason (forged, signed with another
 *   secret, or not for this document).
 */
export type AccessProblem = 'missing' | 'expired' | 'refused';

export interface AccessSnapshot {
  /** The token sent to the relay; null without one (local mode). */
  readonly token: string | null;
  readonly claims: AccessClaims | null;
  /** What this session may do: the token's role, or `write` without a token (local mode). */
  readonly role: AccessRole;
  /** Set once the relay is known to refuse this session's token; null otherwise. */
  readonly problem: AccessProblem | null;
  /**
   * Set while the relay refuses this session for a reason the operator must fix (see
   * `RelayRefusal`). The session keeps retrying with backoff meanwhile — the fix needs
   * nothing from the user — and clears it once a connection syncs or the relay no longer
   * says so.
   */
  readonly refusal: RelayRefusal | null;
  /**
   * The relay closed with 4404: the document is in the trash. The session keeps its copy and
   * does not connect until `restoreFromDevice()`.
   */
  readonly trashed: boolean;
  /**
   * The relay closed with 4410: the document was deleted for good (`trashed` is set too).
   * Whatever this device holds, only `restoreFromDevice()` sends it, starting it again.
   */
  readonly deletedForGood: boolean;
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
  /** This device's edits the relay has not yet stored. */
  private readonly edits: UnsavedEdits;
  readonly title: TitleStore;
  /**
   * Resolves when the stored copy (if any) is merged into `doc`, or could not be read (see
   * `LocalCopy.ready`). The relay connection does not wait for it.
   */
  readonly ready: Promise<void>;
  /** Whether `ready` has resolved: a page that finds it so can show the text at once. */
  private readyNow = false;
  private readonly local: LocalCopy | null;
  private user: UserIdentity;
  private destroyed = false;
  private accessSnapshot: AccessSnapshot;
  private readonly accessListeners = new Set<() => void>();
  private readonly checkAccess: AccessCheck | null;
  private readonly now: () => number;
  private readonly textName: string;
  /** The failure count an access check last ran for, so each failure is checked once. */
  private checkedFailures = 0;
  private checking = false;
  private readonly cleanups: (() => void)[] = [];
  private readonly restoreUrl: string;
  private readonly fetchImpl: typeof fetch | null;

  constructor(options: DocumentSessionOptions) {
    this.restoreUrl = restoreUrlOf(options.relayUrl, options.docName);
    // Called unbound: the browser's fetch throws "Illegal invocation" as a method of another object.
    this.fetchImpl =
      options.fetch ??
      (typeof fetch === 'undefined' ? null : (input, init) => globalThis.fetch(input, init));
    this.textName = options.textName ?? 'content';
    const token = options.token ?? null;
    this.accessSnapshot = accessFor(token);
    this.checkAccess = options.checkAccess ?? null;
    this.now = options.now ?? Date.now;
    // Before the provider, so that its update listener runs first (see unsaved-edits.ts).
    this.edits = new UnsavedEdits(this.doc, (origin) => origin === this.provider);
    // Settles when the stored copy is merged (the local copy is created below), or is known
    // to be empty.
    let localReady: () => void = () => undefined;
    const stored = new Promise<void>((resolve) => (localReady = resolve));
    void options.storedCopyKnownEmpty?.then(
      (empty) => {
        if (empty) localReady();
      },
      () => undefined,
    );
    this.provider = new WebsocketProvider(options.relayUrl, options.docName, this.doc, {
      WebSocketPolyfill: heldUntil(
        stored,
        countingWebSocket(
          options.WebSocketPolyfill ?? (typeof WebSocket === 'undefined' ? undefined : WebSocket),
          this.edits,
        ),
      ),
      // The relay reads the token from the `token` query parameter.
      params: token === null ? {} : { token },
      // RelayConnection decides when to connect.
      connect: false,
      // Tabs of one browser sync through the relay like any two users: a BroadcastChannel
      // shortcut would make a tab look "saved" to its neighbour without the relay.
      disableBc: true,
    });
    // Created after the provider, so that it can tell the relay's updates from local edits.
    this.local = options.persistLocally
      ? new LocalCopy(this.doc, localCopyDatabaseName(options.docName, options.localStorePrefix), {
          isRemote: (origin) => origin === this.provider,
        })
      : null;
    this.connection = new RelayConnection(this.provider, {
      network: options.network ?? browserNetworkSignal(),
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
    this.saveStatus = new SaveStatusTracker(this.edits, this.connection, this.local);
    this.title = new TitleStore(this.doc);
    this.user = options.user;
    this.setUser();
    this.cleanups.push(
      this.connection.onRefused((code) => {
        if (code === TRASHED_CLOSE_CODE) this.trashed(false);
        else if (code === PURGED_CLOSE_CODE) this.trashed(true);
        else this.refuse(code === 4401 ? 'expired' : 'refused');
      }),
      this.connection.subscribe(this.handleConnection),
    );
    this.ready = this.local?.ready ?? Promise.resolve();
    void this.ready.then(() => {
      this.readyNow = true;
      localReady();
    });
    this.connectIfAllowed();
  }

  /** True once `ready` has resolved. */
  isReady(): boolean {
    return this.readyNow;
  }

  /** For React's useSyncExternalStore: the same object until access changes. */
  readonly getAccess = (): AccessSnapshot => this.accessSnapshot;

  readonly subscribeAccess = (listener: () => void): (() => void) => {
    this.accessListeners.add(listener);
    return () => this.accessListeners.delete(listener);
  };

  /**
   * Uses `token` from now on: a socket's rights are fixed when it opens, so the session
   * reconnects (edits made meanwhile then sync as after any reconnect). The same token again
   * only reconnects if the relay had refused it.
   */
  setToken(token: string | null): void {
    if (this.destroyed) return;
    const current = this.accessSnapshot;
    if (token === current.token && current.problem === null) return;
    this.provider.params = token === null ? {} : { token };
    this.setAccess({
      ...accessFor(token),
      trashed: current.trashed,
      deletedForGood: current.deletedForGood,
    });
    this.connection.stop();
    this.connectIfAllowed();
  }

  /**
   * Takes the document out of the trash on the relay, then reconnects: whatever this device
   * holds that the relay lacks merges in as after any reconnect. For a document deleted for
   * good the relay forgets its tombstone, and this device's copy starts it again. Rejects
   * (still trashed) when the relay refuses, e.g. it knows nothing of the name any more (404)
   * or the token may only read (403).
   */
  async restoreFromDevice(): Promise<void> {
    if (this.fetchImpl === null) throw new Error('restoring needs fetch, which is not available');
    const { token } = this.accessSnapshot;
    const response = await this.fetchImpl(this.restoreUrl, {
      method: 'POST',
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
      const why = typeof body?.error === 'string' ? body.error : `HTTP ${response.status}`;
      throw new Error(`the relay did not restore the document: ${why}`);
    }
    if (this.destroyed) return;
    this.setAccess({ ...this.accessSnapshot, trashed: false, deletedForGood: false });
    this.connection.stop();
    this.connectIfAllowed();
  }

  /** The relay closed with 4404 (or 4410, `purged`): stop connecting until `restoreFromDevice`. */
  private trashed(purged: boolean): void {
    if (this.destroyed) return;
    this.connection.stop();
    const { trashed, deletedForGood } = this.accessSnapshot;
    if (trashed && deletedForGood === purged) return;
    this.setAccess({ ...this.accessSnapshot, trashed: true, deletedForGood: purged });
  }

  private connectIfAllowed(): void {
    if (this.accessSnapshot.trashed) return;
    const { claims } = this.accessSnapshot;
    if (claims !== null && isExpired(claims, this.now())) {
      this.refuse('expired');
      return;
    }
    this.connection.start();
  }

  /** Stops connecting until `setToken`: retrying would be refused again. */
  private refuse(problem: AccessProblem): void {
    if (this.destroyed || this.accessSnapshot.problem !== null) return;
    this.setAccess({ ...this.accessSnapshot, problem });
    this.connection.stop();
  }

  private setRefusal(refusal: RelayRefusal | null): void {
    const current = this.accessSnapshot.refusal;
    if (current === refusal) return;
    if (current !== null && refusal !== null && sameRefusal(current, refusal)) return;
    this.setAccess({ ...this.accessSnapshot, refusal });
  }

  private setAccess(next: AccessSnapshot): void {
    this.accessSnapshot = next;
    for (const listener of this.accessListeners) listener();
  }

  /** After each failed attempt, asks whether and why the relay refuses this session. */
  private readonly handleConnection = (): void => {
    const snapshot = this.connection.getSnapshot();
    if (snapshot.failures === 0) this.checkedFailures = 0;
    if (snapshot.phase === 'synced') this.setRefusal(null);
    // retryAt is null after a deliberate refusal (4400–4499), which onRefused handles.
    if (snapshot.phase !== 'unreachable' || snapshot.retryAt === null) return;
    if (this.checkAccess === null || this.checking || this.accessSnapshot.problem !== null) return;
    if (snapshot.failures === this.checkedFailures) return;
    this.checkedFailures = snapshot.failures;
    this.checking = true;
    const token = this.accessSnapshot.token;
    void this.checkAccess(token)
      .catch(() => 'unknown' as const)
      .then((verdict) => {
        this.checking = false;
        if (this.destroyed) return;
        // A new token, or a connection that worked after all, makes the answer stale.
        if (this.accessSnapshot.token !== token) return;
        if (this.connection.getSnapshot().phase === 'synced') return;
        // Anything but a refusal (also `unknown`) means the relay does not say it refuses.
        this.setRefusal(typeof verdict === 'object' ? verdict : null);
        if (verdict !== 'refused') return;
        const { claims } = this.accessSnapshot;
        if (token === null) this.refuse('missing');
        else this.refuse(claims !== null && isExpired(claims, this.now()) ? 'expired' : 'refused');
      });
  };

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  /** The document body every editor binds to. */
  get text(): Y.Text {
    return this.doc.getText(this.textName);
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
    for (const cleanup of this.cleanups) cleanup();
    this.accessListeners.clear();
    this.title.destroy();
    this.saveStatus.destroy();
    this.edits.destroy();
    this.connection.destroy();
    this.provider.destroy();
    this.local?.destroy();
    this.doc.destroy();
  }
}

type HeldEvent = 'onopen' | 'onmessage';

/**
 * A WebSocket class whose sockets, created before `until` settles, connect at once but show
 * their user (y-websocket) the `open` event and the relay's messages only after it has:
 * the handshake overlaps whatever `until` waits for, while the provider acts as if it had
 * connected afterwards. A close is passed on at once (what was held is dropped: the provider
 * sees a connection that failed before it opened). Later sockets are not held.
 */
function heldUntil(until: Promise<void>, Base: typeof WebSocket): typeof WebSocket {
  let settled = false;
  const waiting = new Set<() => void>();
  void until.then(() => {
    settled = true;
    for (const release of waiting) release();
    waiting.clear();
  });
  return class HeldWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      if (settled) return;
      let holding = true;
      let held: (() => void)[] = [];
      const handlers = new Map<string, ((event: unknown) => void) | null>();
      const intercept = (name: HeldEvent | 'onclose', hold: boolean) => {
        const forward = (event: unknown) => {
          const deliver = () => handlers.get(name)?.call(this, event);
          if (!hold) {
            if (holding) waiting.delete(release);
            holding = false;
            held = [];
            deliver();
          } else if (holding) {
            held.push(deliver);
          } else {
            deliver();
          }
        };
        // The browser's handler attribute (a setter up the prototype chain) gets `forward`;
        // a test double with plain fields reads the property below, which is `forward` too.
        setNative(this, name, forward);
        Object.defineProperty(this, name, {
          configurable: true,
          get: () => forward,
          set: (handler: ((event: unknown) => void) | null) => handlers.set(name, handler),
        });
      };
      const release = () => {
        if (!holding) return;
        holding = false;
        const events = held;
        held = [];
        for (const deliver of events) deliver();
      };
      intercept('onopen', true);
      intercept('onmessage', true);
      intercept('onclose', false);
      waiting.add(release);
    }
  };
}

/** Sets `socket[name]` through the platform's setter, wherever on the chain it is. */
function setNative(socket: object, name: string, value: unknown): void {
  for (
    let proto: object | null = socket;
    proto !== null;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor === undefined) continue;
    if (descriptor.set) descriptor.set.call(socket, value);
    return;
  }
}

function accessFor(token: string | null): AccessSnapshot {
  const claims = token === null ? null : decodeAccessToken(token);
  return {
    token,
    claims,
    role: claims?.role ?? 'write',
    problem: null,
    refusal: null,
    trashed: false,
    deletedForGood: false,
  };
}

/**
 * `POST <relay>/api/docs/<name>/restore?fromDevice=1` over HTTP(S) from the relay's ws(s)://
 * URL: `fromDevice` also starts again a document deleted for good, from this device's copy.
 */
function restoreUrlOf(relayUrl: string, docName: string): string {
  const base = relayUrl.replace(/^ws/, 'http').replace(/\/+$/, '');
  return `${base}/api/docs/${encodeURIComponent(docName)}/restore?fromDevice=1`;
}

/** Same kind and details, so an unchanged answer after each retry re-renders nothing. */
function sameRefusal(a: RelayRefusal, b: RelayRefusal): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
