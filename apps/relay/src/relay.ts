/**
 * The relay server: HTTP (health, document list, the web app) and the y-websocket protocol
 * at `ws://HOST:PORT/<docName>` on the same port.
 *
 * A WebSocket upgrade is checked and its document loaded *before* the upgrade completes:
 * a foreign origin or a token that does not grant the document gets 401/403, an invalid name
 * 400, a document that fails to load 503, and a client is never answered from a half-loaded
 * document.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { admit, type AdmissionPolicy } from './admission';
import { isLoopback } from './config';
import { CloseCode, Connection, type ConnectionLimits } from './connection';
import { startHeartbeat } from './heartbeat';
import { httpRoutes } from './http-routes';
import { RelayMetrics } from './metrics';
import { Rooms, type RoomsOptions } from './rooms';
import { sendJson } from './static-files';

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
   * write, close the store. Gives up waiting on storage after `timeoutMs`.
   */
  close(timeoutMs?: number): Promise<void>;
}

export async function startRelay(
  options: RelayOptions,
  store: DocStore,
  log: Logger,
  metrics: RelayMetrics = new RelayMetrics(),
): Promise<Relay> {
  const rooms = new Rooms(store, options, log, metrics);
  const connections = new Set<Connection>();

  let closing = false;
  // A function, so checks after an await read the current value rather than a narrowed one.
  const isClosing = (): boolean => closing;

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
    connectionsFrom: (address) => connectionsByAddress.get(address) ?? 0,
    isReady: () => !isClosing(),
  });
  const server: Server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      log.error({ err: error, url: request.url }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });

  const connectionsByAddress = new Map<string, number>();

  const handleUpgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log.debug({ err: error }, 'upgrade socket error'));
    if (isClosing()) {
      refuseUpgrade(socket, 503, 'relay is shutting down');
      return;
    }
    const admission = await admit(request, options);
    if (!admission.ok) {
      metrics.rejectedUpgrades.inc({ status: String(admission.status) });
      refuseUpgrade(socket, admission.status, admission.reason);
      return;
    }
    const { docName, principal, address } = admission;
    if ((connectionsByAddress.get(address) ?? 0) >= options.maxConnectionsPerAddress) {
      // Complete the handshake only to say why, without loading the document.
      wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
        metrics.rejectedUpgrades.inc({ status: 'address_limit' });
        ws.close(CloseCode.policy, 'too many connections from this address');
      });
      return;
    }

    let room;
    try {
      room = await rooms.acquire(docName);
    } catch (error) {
      log.error({ err: error, doc: docName }, 'document failed to load');
      // Complete the handshake only to close with a reason a browser can read (it cannot see
      // the status of a refused upgrade). Nothing was loaded or kept; the client retries.
      if (!socket.writable) return;
      wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
        ws.close(CloseCode.loadFailed, 'document could not be loaded; try again');
      });
      return;
    }
    if (!socket.writable || isClosing()) {
      // The client gave up while the document loaded, or the relay began shutting down.
      rooms.release(room);
      if (socket.writable) refuseUpgrade(socket, 503, 'relay is shutting down');
      return;
    }
    connectionsByAddress.set(address, (connectionsByAddress.get(address) ?? 0) + 1);
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const connection = new Connection(ws, room, principal, options.limits, log, metrics, socket);
      connections.add(connection);
      metrics.connections.set(connections.size);
      ws.binaryType = 'nodebuffer';
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          metrics.rejectedFrames.inc({ reason: 'text' });
          connection.close(CloseCode.invalidData, 'text frames are not part of the protocol');
          return;
        }
        connection.handleFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
      ws.on('error', (error: Error & { code?: string }) => {
        // ws reports protocol violations here (oversized frames: 1009) and closes itself.
        if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
          metrics.rejectedFrames.inc({ reason: 'too_big' });
        }
        log.debug({ err: error, doc: docName }, 'socket error');
      });
      ws.on('close', () => {
        connections.delete(connection);
        metrics.connections.set(connections.size);
        const remaining = (connectionsByAddress.get(address) ?? 1) - 1;
        if (remaining > 0) connectionsByAddress.set(address, remaining);
        else connectionsByAddress.delete(address);
        connection.leave();
        rooms.release(room);
      });
      connection.open();
    });
  };

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    handleUpgrade(request, socket, head).catch((error: unknown) => {
      log.error({ err: error }, 'upgrade failed');
      socket.destroy();
    });
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

  return {
    url: `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`,
    port,
    rooms,
    metrics,
    connections,
    async close(timeoutMs = 10_000) {
      if (closing) return;
      closing = true;
      stopHeartbeat();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections) {
        connection.close(CloseCode.serviceRestart, 'relay restarting');
      }
      const flushed = Promise.all(rooms.all().map((room) => room.persister.flush())).then(() =>
        rooms.closeAll(),
      );
      const deadline = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), timeoutMs).unref(),
      );
      if ((await Promise.race([flushed, deadline])) === 'timeout') {
        log.error('shutdown timed out waiting for storage; unsaved edits stay with clients');
        for (const room of rooms.all()) room.persister.stop();
      }
      for (const connection of connections) connection.terminate();
      server.closeAllConnections();
      await stopped;
      await store.close();
    },
  };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
};

function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 503, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
