/**
 * The relay server: HTTP (health, document list, the web app) and the y-websocket protocol
 * at `ws://HOST:PORT/<docName>` on the same port.
 *
 * A WebSocket upgrade is checked and its document loaded *before* the upgrade completes:
 * an invalid name gets HTTP 400, a document that fails to load gets 503, and a client is
 * never answered from a half-loaded document.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { docNameProblem } from '@weft/protocol';
import type { DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, Connection } from './connection';
import { listDocuments } from './doc-list';
import { Rooms, type RoomsOptions } from './rooms';
import { sendJson, sendText, staticFiles } from './static-files';

export interface RelayOptions extends RoomsOptions {
  readonly port: number;
  readonly host: string;
  readonly webDist: string | null;
  readonly maxFrameBytes: number;
  readonly heartbeatMs: number;
}

export interface Relay {
  /** `http://host:port` the relay listens on (port resolved when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  readonly rooms: Rooms;
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
): Promise<Relay> {
  const rooms = new Rooms(store, options, log);
  const connections = new Set<Connection>();
  const serveStatic = staticFiles(options.webDist);
  let closing = false;

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes });

  const handleRequest = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://relay').pathname;
    if (path === '/healthz') return sendJson(response, 200, { ok: true });
    if (path === '/readyz') {
      return sendJson(response, closing ? 503 : 200, { ready: !closing });
    }
    if (path === '/api/docs' && request.method === 'GET') {
      return sendJson(response, 200, { docs: await listDocuments(store, rooms) });
    }
    if (path.startsWith('/api/')) return sendJson(response, 404, { error: 'not found' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendText(response, 405, 'method not allowed\n');
    }
    return serveStatic(request, response);
  };

  const server: Server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      log.error({ err: error, url: request.url }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });

  const handleUpgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log.debug({ err: error }, 'upgrade socket error'));
    if (closing) return refuseUpgrade(socket, 503, 'relay is shutting down');
    const name = docNameFromUrl(request.url ?? '/');
    const problem = name === null ? 'document name is not valid URL encoding' : docNameProblem(name);
    if (name === null || problem !== null) return refuseUpgrade(socket, 400, problem ?? '');

    let room;
    try {
      room = await rooms.acquire(name);
    } catch (error) {
      log.error({ err: error, doc: name }, 'document failed to load');
      return refuseUpgrade(socket, 503, 'document could not be loaded');
    }
    if (socket.destroyed || closing) {
      rooms.release(room);
      if (!socket.destroyed) refuseUpgrade(socket, 503, 'relay is shutting down');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const connection = new Connection(ws, room, log);
      connections.add(connection);
      ws.binaryType = 'nodebuffer';
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return connection.close(CloseCode.invalidData, 'text frames are not part of the protocol');
        connection.handleFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
      ws.on('error', (error) => {
        // ws reports oversized frames here and closes with 1009 itself.
        log.debug({ err: error, doc: name }, 'socket error');
      });
      ws.on('close', () => {
        connections.delete(connection);
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

  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.ping()) connection.terminate();
    }
  }, options.heartbeatMs);
  heartbeat.unref();

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
    connections,
    async close(timeoutMs = 10_000) {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
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

function docNameFromUrl(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url, 'http://relay').pathname.slice(1));
  } catch {
    return null;
  }
}

function refuseUpgrade(socket: Duplex, status: 400 | 503, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : 'Service Unavailable'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}
