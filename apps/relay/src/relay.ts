/**
 * The relay: HTTP (health, document list, the web app) and the y-websocket protocol at
 * `ws://HOST:PORT/<docName>`, on its own port or attached to an application's `http.Server`
 * under a path prefix (`ws://app/<path>/<docName>`). `createRelay` is the one entry point; the
 * CLI (main.ts) and `startRelay` are thin wrappers around it.
 *
 * A WebSocket upgrade is checked and its document loaded *before* the upgrade completes
 * (upgrades.ts): a malformed handshake or an invalid name gets 400, a foreign origin or a
 * token that does not grant the document 401/403, a document that fails or takes too long to
 * load is closed with 1011 and a reason, and a client is never answered from a half-loaded
 * document.
 *
 *   const relay = await createRelay({ server, path: '/collab', store, authenticate, onChange });
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { MemoryDocStore, type DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { AddressSlots } from './address-slots';
import type { AdmissionPolicy } from './admission';
import { isOpen, type AuthenticateHook } from './authentication';
import { isLoopback, loadConfig } from './config';
import { CloseCode, type Connection, type ConnectionLimits } from './connection';
import { DocActivity } from './doc-activity';
import { LocalEventFeed, type EventFeed, type EventLogRetention } from './doc-events';
import { eventsRoute } from './events-route';
import { startHeartbeat } from './heartbeat';
import { HookRunner, type HookTimings, type RelayHooks } from './hooks';
import { hostRefusal, type HostPolicy } from './host-guard';
import { httpRoutes } from './http-routes';
import { createLogger } from './logger';
import { RelayMetrics } from './metrics';
import { observedStore } from './observed-store';
import { relayOptionsFrom } from './relay-options';
import type { Revocations } from './revocations';
import { Rooms, type RoomsOptions } from './rooms';
import { sendJson } from './static-files';
import { StorageHealth } from './storage-health';
import { Trash } from './trash';
import { refuseUpgrade, upgradeHandler } from './upgrades';

export interface RelayOptions extends RoomsOptions, AdmissionPolicy {
  readonly port: number;
  readonly host: string;
  readonly webDist: string | null;
  readonly maxFrameBytes: number;
  readonly heartbeatMs: number;
  readonly maxConnectionsPerAddress: number;
  readonly limits: ConnectionLimits;
  /** Local mode: host names besides localhost and IP addresses requests may name (host-guard.ts). */
  readonly allowedHosts?: readonly string[] | null;
  /** Bearer token for `/metrics` (see http-routes.ts); none by default. */
  readonly metricsToken?: string | null;
  /** How long `close()` waits for storage, store close included. Default 10 s. */
  readonly shutdownTimeoutMs?: number;
  /** Revoked tokens (revocations.ts): the relay closes their connections as they are revoked. */
  readonly revocations?: Revocations | null;
  /** Bearer token of `/api/admin` (admin-routes.ts); none: no admin API. */
  readonly adminToken?: string | null;
  /** What `/api/events` replays to a client that reconnects (default 1,000 events, 10 min). */
  readonly eventRetention?: EventLogRetention;
  /** Where document events go and come from; default one relay's LocalEventFeed. */
  readonly eventFeed?: EventFeed;
  /** At most one edit event per document this often (default 2 s). */
  readonly eventCoalesceMs?: number;
  /** The SSE keep-alive comment interval (default 15 s). */
  readonly eventKeepAliveMs?: number;
  /** Documents in the trash longer than this are deleted for good (default 30 days). */
  readonly trashRetentionMs?: number;
  /** The trash's clock, milliseconds since the epoch (tests pass their own). */
  readonly trashClock?: () => number;
}

/** What a shutdown managed before its deadline. */
export interface ShutdownReport {
  /** Every edit the relay received is stored and the store is closed. */
  readonly complete: boolean;
  /** Documents holding edits that could not be stored (their clients still have them). */
  readonly unsavedDocuments: number;
  /** The store's `close()` finished without error. */
  readonly storeClosed: boolean;
}

/** What `createRelay` takes: every field optional, defaults as in the option table. */
export interface CreateRelayOptions extends Partial<RelayOptions>, RelayHooks, HookTimings {
  /** Where documents are kept. Default: a new MemoryDocStore (gone when the process ends). */
  readonly store?: DocStore;
  /** Default: JSON lines on stdout at `info`. */
  readonly log?: Logger | undefined;
  readonly metrics?: RelayMetrics;
  /** The application's own check of who a request is, beside tokens (authentication.ts). */
  readonly authenticate?: AuthenticateHook | undefined;
  /**
   * Attach to this server instead of listening on `port`: the relay takes the WebSocket
   * upgrades under `path` and leaves every other upgrade and request to the application
   * (which may pass its requests under `path` to `handleRequest`). `close()` leaves it open.
   */
  readonly server?: Server;
  /** Path prefix of every relay URL, e.g. `/collab`. Default: none (the relay owns `/`). */
  readonly path?: string;
}

export interface Relay {
  /**
   * `http://host:port[path]` the relay is reached at (port resolved when 0 was asked for);
   * for an attached relay, what its server listens on (empty while it does not listen).
   */
  readonly url: string;
  readonly port: number;
  /** The path prefix, `''` for none. */
  readonly path: string;
  /**
   * Serves a relay HTTP route (`<path>/healthz`, `/readyz`, `/metrics`, `/api/…`, and the web
   * app when `webDist` is set). False, having done nothing, when the URL is not under `path`.
   */
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean;
  readonly rooms: Rooms;
  readonly metrics: RelayMetrics;
  /** Open WebSocket connections. */
  readonly connections: ReadonlySet<Connection>;
  /** The trash (trash.ts): what its HTTP routes and the retention sweep use. */
  readonly trash: Trash;
  /**
   * Graceful stop: refuse new connections, close sockets with 1012, flush every pending
   * write, close the store — all within `timeoutMs` (default `shutdownTimeoutMs`), after
   * which it stops waiting and says what was left undone. Later calls return the same report.
   */
  close(timeoutMs?: number): Promise<ShutdownReport>;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/** Readiness probes time out in about a second; a slower store read counts as no answer. */
const STORAGE_PROBE_TIMEOUT_MS = 1000;

/** The option table's defaults (relay-option-table.ts), serving no web app. */
function defaultRelayOptions(): RelayOptions {
  const config = loadConfig([], {});
  if (config === 'help') throw new Error('unreachable: no --help was given');
  return { ...relayOptionsFrom(config), webDist: null };
}

/** `/collab/` and `collab` as `/collab`; `/` and `` as ``. */
function normalisedPath(path: string | undefined): string {
  const trimmed = (path ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The part of `url` after `prefix`, or null when `url` is not under it. */
function underPrefix(url: string, prefix: string): string | null {
  if (prefix === '') return url;
  if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) {
    return null;
  }
  const rest = url.slice(prefix.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Starts a relay: standalone on its own port, or attached to `options.server`. */
export async function createRelay(given: CreateRelayOptions = {}): Promise<Relay> {
  const options: RelayOptions = { ...defaultRelayOptions(), ...withoutUndefined(given) };
  const log = given.log ?? createLogger('info');
  const metrics = given.metrics ?? new RelayMetrics();
  // In cluster mode the feed is shared by every relay (cluster/redis-event-feed.ts).
  const feed: EventFeed =
    options.eventFeed ?? options.cluster?.eventFeed ?? new LocalEventFeed(options.eventRetention);
  const unobservedStore = given.store ?? new MemoryDocStore();
  const activity = new DocActivity(feed, unobservedStore, log, options.eventCoalesceMs);
  // Every stored write reaches the live document list (created, retitled, edited).
  const store = observedStore(unobservedStore, (info) => activity.stored(info));
  const events = eventsRoute({
    feed,
    authKey: options.authKey,
    authenticate: given.authenticate,
    log,
    keepAliveMs: options.eventKeepAliveMs,
  });
  const prefix = normalisedPath(given.path);
  const hooks = new HookRunner(given, given, log);
  const policy: RelayOptions = {
    ...options,
    authenticate: given.authenticate,
    log,
  };

  const rooms = new Rooms(store, options, log, metrics, hooks);
  const connections = new Set<Connection>();
  const slots = new AddressSlots(options.maxConnectionsPerAddress);
  const trash = new Trash({
    store,
    rooms,
    connections,
    activity,
    log,
    retentionMs: options.trashRetentionMs,
    now: options.trashClock,
  });
  // Other relays' trash changes close this relay's connections too.
  options.cluster?.attach?.({ connections, rooms, activity });
  const storageHealth = new StorageHealth(store, rooms, {
    stallMs: options.loadTimeoutMs ?? 10_000,
    probeTimeoutMs: STORAGE_PROBE_TIMEOUT_MS,
  });

  let shutdown: Promise<ShutdownReport> | null = null;
  // A function, so checks after an await read the current value rather than a narrowed one.
  const isClosing = (): boolean => shutdown !== null;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes,
    // Never negotiated: connections write pre-framed messages to their sockets (shared-frame.ts),
    // which a compressed stream could not carry; Yjs updates are small and already compact.
    perMessageDeflate: false,
    // Browsers fail the handshake unless one offered subprotocol (e.g. the token) is echoed.
    handleProtocols: (protocols: Set<string>) => protocols.values().next().value ?? false,
  });

  const routes = httpRoutes({
    store,
    rooms,
    peopleIn: feed.peopleIn?.bind(feed),
    metrics,
    authKey: options.authKey,
    authenticate: given.authenticate,
    metricsToken: options.metricsToken ?? null,
    webDist: options.webDist,
    adminToken: options.adminToken ?? null,
    revocations: options.revocations ?? null,
    admission: policy,
    connectionsFrom: (address) => slots.count(address),
    events,
    trash,
    unreadiness: async () =>
      isClosing()
        ? 'relay is shutting down'
        : ((await storageHealth.problem()) ?? (await options.cluster?.problem()) ?? null),
  });
  const hostPolicy: HostPolicy = {
    localMode: isOpen(policy),
    publicUrl: options.publicUrl,
    allowedHosts: options.allowedHosts ?? null,
  };
  const handleRequest = (request: IncomingMessage, response: ServerResponse): boolean => {
    const rest = underPrefix(request.url ?? '/', prefix);
    if (rest === null) return false;
    request.url = rest;
    const refusedHost = hostRefusal(request.headers.host, hostPolicy);
    if (refusedHost !== null) {
      sendJson(response, 403, { error: refusedHost, refusal: 'host' });
      return true;
    }
    routes(request, response).catch((error: unknown) => {
      log.error({ err: error, url: request.url }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    });
    return true;
  };

  const handleUpgrade = upgradeHandler({
    options: policy,
    wss,
    rooms,
    slots,
    connections,
    metrics,
    log,
    isClosing,
    hooks,
    activity,
    trashState: (name) => trash.stateOf(name),
  });
  /** Every socket that asked for an upgrade and is not closed yet, loading or connected. */
  const upgradeSockets = new Set<Duplex>();
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const rest = underPrefix(request.url ?? '/', prefix);
    // Not ours: another upgrade listener of the application's server may take it.
    if (rest === null) return;
    request.url = rest;
    upgradeSockets.add(socket);
    socket.once('close', () => upgradeSockets.delete(socket));
    const refusedHost = hostRefusal(request.headers.host, hostPolicy);
    if (refusedHost !== null) {
      metrics.rejectedUpgrades.inc({ status: 'host' });
      refuseUpgrade(socket, 403, refusedHost);
      return;
    }
    handleUpgrade(request, socket, head);
  };

  const attached = given.server !== undefined;
  const server: Server =
    given.server ??
    createServer((request, response) => {
      if (!handleRequest(request, response)) sendJson(response, 404, { error: 'not found' });
    });
  server.on('upgrade', onUpgrade);

  const stopHeartbeat = startHeartbeat(connections, options.heartbeatMs);
  const stopSweeping = trash.startSweeping();
  const revocations = options.revocations ?? null;
  // A revoked token's connections close at once, here or (read from the file) on every relay.
  const stopRevoking = revocations?.onRevoked(() => {
    for (const connection of connections) {
      if (revocations.isRevoked(connection.principal)) {
        connection.close(CloseCode.tokenExpired, 'token revoked');
      }
    }
  });

  if (!attached) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  const listeningOn = (): AddressInfo | null => {
    const address = server.address();
    return address !== null && typeof address === 'object' ? address : null;
  };
  const urlOf = (address: AddressInfo | null): string => {
    if (address === null) return '';
    const host = attached ? address.address : options.host;
    const shown = isLoopback(host) || host === '::' || host === '0.0.0.0' ? 'localhost' : host;
    return `http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}${prefix}`;
  };

  async function shutDown(timeoutMs: number): Promise<ShutdownReport> {
    const deadline = performance.now() + timeoutMs;
    stopHeartbeat();
    stopSweeping();
    stopRevoking?.();
    void revocations?.close();
    server.off('upgrade', onUpgrade);
    // Event streams never end on their own; a server waiting for them would never close.
    events.closeAll();
    activity.close();
    const stopped = attached
      ? Promise.resolve()
      : new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of connections) {
      connection.close(CloseCode.serviceRestart, 'relay restarting');
    }
    const flushed = Promise.all(rooms.all().map((room) => room.persister.flush())).then(() =>
      rooms.closeAll(),
    );
    let unsavedDocuments = 0;
    if (!(await settlesBefore(flushed, deadline))) {
      const resident = rooms.all();
      unsavedDocuments = resident.filter((room) => room.persister.dirty).length;
      log.error(
        { unsavedDocuments, timeoutMs },
        `shutdown timed out waiting for storage: ${unsavedDocuments} document(s) have unsaved edits, which stay with their clients`,
      );
      for (const room of resident) room.persister.stop();
    }
    for (const connection of connections) connection.terminate();
    // Upgrades still waiting for a load, and anything else left, go now.
    for (const socket of upgradeSockets) socket.destroy();
    // The application's server and its other connections are the application's to close.
    if (!attached) server.closeAllConnections();
    await settlesBefore(stopped, deadline);
    if (options.cluster) {
      await settlesBefore(options.cluster.close(), deadline, (error) => {
        log.error({ err: error }, 'leaving the cluster failed');
      });
    }
    const storeClosed = await settlesBefore(store.close(), deadline, (error) => {
      log.error({ err: error }, 'closing the store failed');
    });
    if (!storeClosed)
      log.error({ timeoutMs }, 'the store did not close before the shutdown deadline');
    return { complete: unsavedDocuments === 0 && storeClosed, unsavedDocuments, storeClosed };
  }

  return {
    get url() {
      return urlOf(listeningOn());
    },
    get port() {
      return listeningOn()?.port ?? 0;
    },
    path: prefix,
    handleRequest,
    rooms,
    metrics,
    connections,
    trash,
    close(timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) {
      shutdown ??= shutDown(timeoutMs);
      return shutdown;
    },
  };
}

/** `given` without its undefined fields, so that they do not override defaults. */
function withoutUndefined<T extends object>(given: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * The relay on `store` at `options.port` (the CLI's and the tests' way in): `createRelay`
 * with every option given.
 */
export function startRelay(
  options: RelayOptions,
  store: DocStore,
  log: Logger,
  metrics: RelayMetrics = new RelayMetrics(),
): Promise<Relay> {
  return createRelay({ ...options, store, log, metrics });
}

/**
 * True when `work` fulfils before `deadline` (a performance.now() time); false when it
 * rejects (reported to `onError`) or is still running then.
 */
async function settlesBefore(
  work: Promise<unknown>,
  deadline: number,
  onError: (error: unknown) => void = () => undefined,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  // Not unref'd: a shutdown waiting on a store that never answers must still end at the
  // deadline, not when the event loop happens to run dry (which would exit with status 0).
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, deadline - performance.now()));
  });
  const finished = work.then(
    () => true,
    (error: unknown) => {
      onError(error);
      return false;
    },
  );
  try {
    return await Promise.race([finished, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
