/**
 * The relay server: HTTP (health, document list, the web app) and the y-websocket protocol
 * at `ws://HOST:PORT/<docName>` on the same port.
 *
 * A WebSocket upgrade is checked and its document loaded *before* the upgrade completes
 * (upgrades.ts): a malformed handshake or an invalid name gets 400, a foreign origin or a
 * token that does not grant the document 401/403, a document that fails or takes too long to
 * load is closed with 1011 and a reason, and a client is never answered from a half-loaded
 * document.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { AddressSlots } from './address-slots';
import type { AdmissionPolicy } from './admission';
import { isLoopback } from './config';
import { CloseCode, type Connection, type ConnectionLimits } from './connection';
import { startHeartbeat } from './heartbeat';
import { httpRoutes } from './http-routes';
import { RelayMetrics } from './metrics';
import { Rooms, type RoomsOptions } from './rooms';
import { sendJson } from './static-files';
import { StorageHealth } from './storage-health';
import { upgradeHandler } from './upgrades';

export interface RelayOptions extends RoomsOptions, AdmissionPolicy {
  readonly port: number;
  readonly host: string;
  readonly webDist: string | null;
  readonly maxFrameBytes: number;
  readonly heartbeatMs: number;
  readonly maxConnectionsPerAddress: number;
  readonly limits: ConnectionLimits;
  /** Bearer token for `/metrics` (see http-routes.ts); none by default. */
  readonly metricsToken?: string | null;
  /** How long `close()` waits for storage, store close included. Default 10 s. */
  readonly shutdownTimeoutMs?: number;
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

export interface Relay {
  /** `http://host:port` the relay listens on (port resolved when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  readonly rooms: Rooms;
  readonly metrics: RelayMetrics;
  /** Open WebSocket connections. */
  readonly connections: ReadonlySet<Connection>;
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

export async function startRelay(
  options: RelayOptions,
  store: DocStore,
  log: Logger,
  metrics: RelayMetrics = new RelayMetrics(),
): Promise<Relay> {
  const rooms = new Rooms(store, options, log, metrics);
  const connections = new Set<Connection>();
  const slots = new AddressSlots(options.maxConnectionsPerAddress);
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

  const handleRequest = httpRoutes({
    store,
    rooms,
    metrics,
    authKey: options.authKey,
    metricsToken: options.metricsToken ?? null,
    webDist: options.webDist,
    admission: options,
    connectionsFrom: (address) => slots.count(address),
    unreadiness: async () => (isClosing() ? 'relay is shutting down' : storageHealth.problem()),
  });
  const server: Server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      log.error({ err: error, url: request.url }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });

  const handleUpgrade = upgradeHandler({
    options,
    wss,
    rooms,
    slots,
    connections,
    metrics,
    log,
    isClosing,
  });
  /** Every socket that asked for an upgrade and is not closed yet, loading or connected. */
  const upgradeSockets = new Set<Duplex>();
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgradeSockets.add(socket);
    socket.once('close', () => upgradeSockets.delete(socket));
    handleUpgrade(request, socket, head);
  });

  const stopHeartbeat = startHeartbeat(connections, options.heartbeatMs);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const displayHost = isLoopback(options.host) ? 'localhost' : options.host;

  async function shutDown(timeoutMs: number): Promise<ShutdownReport> {
    const deadline = performance.now() + timeoutMs;
    stopHeartbeat();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
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
    server.closeAllConnections();
    await settlesBefore(stopped, deadline);
    const storeClosed = await settlesBefore(store.close(), deadline, (error) => {
      log.error({ err: error }, 'closing the store failed');
    });
    if (!storeClosed)
      log.error({ timeoutMs }, 'the store did not close before the shutdown deadline');
    return { complete: unsavedDocuments === 0 && storeClosed, unsavedDocuments, storeClosed };
  }

  return {
    url: `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`,
    port,
    rooms,
    metrics,
    connections,
    close(timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS) {
      shutdown ??= shutDown(timeoutMs);
      return shutdown;
    },
  };
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
