/**
 * Keeps one y-websocket `WebsocketProvider` connected to the relay when it should be, and
 * says truthfully what the connection is doing.
 *
 * - Connects only while the device is online; the browser's `offline` event disconnects at
 *   once (an open socket can linger for a long time on a dead network), `online` reconnects
 *   at once.
 * - After a failed or lost connection it retries with exponential backoff and full jitter
 *   (`fullJitterDelay`). y-websocket's own retry has no jitter, so it is neutralised: this
 *   class clears `provider.shouldConnect` when a socket closes, which turns the provider's
 *   scheduled retry into a no-op, and calls `provider.connect()` itself when its own timer
 *   fires.
 * - A connection counts as working only once it has synced (sync step 2 received). A relay
 *   that accepts sockets and then drops them is backed off like one that refuses them.
 * - Close codes 4400–4499 mean the relay refused deliberately; it is not retried until the
 *   network comes back or `retryNow()` is called. `onRefused` listeners hear the code (4401:
 *   the token expired).
 */
import type * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { DEFAULT_BACKOFF, fullJitterDelay, type BackoffPolicy } from './backoff.js';
import type { NetworkSignal } from './network-signal.js';

/**
 * - `offline`: the device has no network (or the connection was stopped); nothing is tried.
 * - `connecting`: an attempt is under way and nothing has failed since the last success.
 * - `unreachable`: the last attempt failed; waiting for `retryAt`, or retrying.
 * - `synced`: the socket is open and the initial sync with the relay is done.
 */
export type ConnectionPhase = 'offline' | 'connecting' | 'unreachable' | 'synced';

export interface ConnectionSnapshot {
  readonly phase: ConnectionPhase;
  /** Attempts that failed since the last synced connection. */
  readonly failures: number;
  /** When the next attempt starts (epoch ms), if one is scheduled. */
  readonly retryAt: number | null;
}

export interface RelayConnectionOptions {
  readonly network: NetworkSignal;
  /** Default `DEFAULT_BACKOFF`. */
  readonly backoff?: BackoffPolicy;
  /** Uniform in [0, 1); default `Math.random`. Injected by tests. */
  readonly random?: () => number;
}

type MessageHandler = (decoder: decoding.Decoder) => void;
/** The signature y-websocket calls its message handlers with. */
type ProviderMessageHandler = (
  encoder: unknown,
  decoder: decoding.Decoder,
  provider: WebsocketProvider,
  emitSynced: boolean,
  messageType: number,
) => void;

export class RelayConnection {
  private wanted = false;
  /** Set by retryNow() during an attempt: if that attempt fails, retry without waiting. */
  private retrySoon = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private snapshot: ConnectionSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly openListeners = new Set<() => void>();
  private readonly refusedListeners = new Set<(code: number, reason: string) => void>();
  private readonly unsubscribeNetwork: () => void;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly options: RelayConnectionOptions,
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.snapshot = { phase: 'offline', failures: 0, retryAt: null };
    provider.on('status', this.handleStatus);
    provider.on('sync', this.handleSync);
    provider.on('connection-close', this.handleClose);
    this.unsubscribeNetwork = options.network.subscribe(this.handleNetwork);
  }

  /** For React's useSyncExternalStore: the same object until something changes. */
  readonly getSnapshot = (): ConnectionSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Calls `listener` each time a socket opens, before the sync handshake. */
  onOpen(listener: () => void): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  /**
   * Calls `listener` when the relay closes a socket with a code in 4400–4499 (a deliberate
   * refusal, not retried), after the connection's snapshot says so.
   */
  onRefused(listener: (code: number, reason: string) => void): () => void {
    this.refusedListeners.add(listener);
    return () => this.refusedListeners.delete(listener);
  }

  /** Routes relay frames of `type` (a Weft extension such as 100) to `handler`. */
  onMessage(type: number, handler: MessageHandler): void {
    (this.provider.messageHandlers as ProviderMessageHandler[])[type] = (_encoder, decoder) => {
      handler(decoder);
    };
  }

  /** Sends a raw frame if a socket is open; returns whether it was sent. */
  send(frame: Uint8Array<ArrayBuffer>): boolean {
    const ws = this.provider.ws;
    // 1 is WebSocket.OPEN; Node 20 has no global WebSocket to read the constant from.
    if (!this.provider.wsconnected || ws?.readyState !== 1) return false;
    ws.send(frame);
    return true;
  }

  /** Starts connecting (now, if the device is online) and keeps the connection up. */
  start(): void {
    this.wanted = true;
    if (this.options.network.isOnline()) this.attempt();
    else this.goOffline();
  }

  /** Disconnects and stays disconnected until `start()`. */
  stop(): void {
    this.wanted = false;
    this.goOffline();
  }

  /**
   * Skips the wait for the next attempt. During an attempt, the next one (if this one fails)
   * starts without waiting.
   */
  retryNow(): void {
    if (!this.wanted || !this.options.network.isOnline()) return;
    if (this.provider.ws !== null) {
      this.retrySoon = true;
      return;
    }
    this.attempt();
  }

  destroy(): void {
    this.stop();
    this.unsubscribeNetwork();
    this.provider.off('status', this.handleStatus);
    this.provider.off('sync', this.handleSync);
    this.provider.off('connection-close', this.handleClose);
    this.listeners.clear();
    this.openListeners.clear();
    this.refusedListeners.clear();
  }

  private attempt(): void {
    this.clearTimer();
    this.retrySoon = false;
    this.set({
      phase: this.snapshot.failures > 0 ? 'unreachable' : 'connecting',
      retryAt: null,
    });
    this.provider.connect();
  }

  private goOffline(): void {
    this.clearTimer();
    // disconnect() emits connection-close; `wanted`/the network state tell handleClose that
    // this close was ours.
    this.provider.disconnect();
    this.set({ phase: 'offline', failures: 0, retryAt: null });
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly handleNetwork = (online: boolean): void => {
    if (!this.wanted) return;
    if (online) {
      // A network that just came back is the best moment to try; forget the old failures.
      this.set({ failures: 0 });
      if (this.provider.ws === null) this.attempt();
    } else {
      this.goOffline();
    }
  };

  private readonly handleStatus = ({ status }: { status: string }): void => {
    if (status !== 'connected') return;
    for (const listener of this.openListeners) listener();
  };

  private readonly handleSync = (synced: boolean): void => {
    if (synced && this.provider.wsconnected) {
      this.retrySoon = false;
      this.set({ phase: 'synced', failures: 0, retryAt: null });
    }
  };

  private readonly handleClose = (event: CloseEvent | null): void => {
    if (!this.wanted || !this.options.network.isOnline()) return;
    // Our own timer decides when to reconnect, not y-websocket's (see the header comment).
    this.provider.shouldConnect = false;
    const failures = this.snapshot.failures + 1;
    if (event !== null && event.code >= 4400 && event.code < 4500) {
      this.clearTimer();
      this.set({ phase: 'unreachable', failures, retryAt: null });
      for (const listener of this.refusedListeners) listener(event.code, event.reason);
      return;
    }
    const delay = this.retrySoon ? 0 : fullJitterDelay(failures - 1, this.backoff, this.random);
    this.retrySoon = false;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.wanted && this.options.network.isOnline()) this.attempt();
    }, delay);
    this.set({ phase: 'unreachable', failures, retryAt: Date.now() + delay });
  };

  private set(change: Partial<ConnectionSnapshot>): void {
    const next = { ...this.snapshot, ...change };
    const prev = this.snapshot;
    if (
      next.phase === prev.phase &&
      next.failures === prev.failures &&
      next.retryAt === prev.retryAt
    ) {
      return;
    }
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}
