/**
 * WebSocket upgrades, from the HTTP request to an open Connection. The handshake is checked,
 * the request admitted and its document loaded *before* the upgrade completes: a malformed
 * handshake gets 400, a foreign origin or a token that does not grant the document 401/403,
 * an invalid name 400, a document that fails or takes too long to load is closed with 1011
 * and a reason, and a client is never answered from a half-loaded document.
 *
 * From admission on, an upgrade holds a slot of its address's connection cap and, once
 * loaded, its document. Both are given back exactly once, when the TCP socket closes: every
 * way an upgrade can end — ws refusing the handshake, a client that vanished or half-closed
 * mid-load, a socket error, a refusal, a connection closing — ends with that socket closing.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import type { AddressSlots } from './address-slots';
import { admit, type AdmissionPolicy } from './admission';
import { CloseCode, Connection, type ConnectionLimits } from './connection';
import { handshakeProblem } from './handshake';
import type { DocActivity } from './doc-activity';
import type { HookRunner } from './hooks';
import type { RelayMetrics } from './metrics';
import type { Room } from './room';
import { LoadTimeoutError, type Rooms } from './rooms';
import { PURGED_REASON, TRASHED_REASON, type TrashState } from './trash';

export interface UpgradeOptions extends AdmissionPolicy {
  readonly limits: ConnectionLimits;
}

export interface UpgradeDeps {
  readonly options: UpgradeOptions;
  readonly wss: WebSocketServer;
  readonly rooms: Rooms;
  /** The per-address connection cap. */
  readonly slots: AddressSlots;
  /** Open connections; each is added once its handshake completes and removed when it ends. */
  readonly connections: Set<Connection>;
  readonly metrics: RelayMetrics;
  readonly log: Logger;
  readonly isClosing: () => boolean;
  /** An embedding application's onConnect / onDisconnect (hooks.ts). */
  readonly hooks?: HookRunner | undefined;
  /** Counts people per document for the live list (doc-activity.ts). */
  readonly activity?: DocActivity | undefined;
  /**
   * Whether the document is in the trash (the upgrade is closed with 4404) or deleted for
   * good (4410), trash.ts.
   */
  readonly trashState?: ((name: string) => Promise<TrashState>) | undefined;
}

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export function upgradeHandler(deps: UpgradeDeps): UpgradeHandler {
  const { options, wss, rooms, slots, connections, metrics, log, isClosing, hooks, activity } =
    deps;
  const trashState = deps.trashState ?? (() => Promise.resolve(null));

  /** Completes the handshake only to close with a reason a browser can read (it cannot see
   * the status of a refused upgrade). */
  const closeWithReason = (
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    code: number,
    reason: string,
  ): void => {
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      ws.close(code, reason);
    });
  };

  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log.debug({ err: error }, 'upgrade socket error'));
    if (isClosing()) {
      refuseUpgrade(socket, 503, 'relay is shutting down');
      return;
    }
    const problem = handshakeProblem(request);
    if (problem !== null) {
      metrics.rejectedUpgrades.inc({ status: '400' });
      refuseUpgrade(socket, 400, problem, { 'Sec-WebSocket-Version': '13' });
      return;
    }
    const admission = await admit(request, options);
    if (!admission.ok) {
      metrics.rejectedUpgrades.inc({ status: String(admission.status) });
      refuseUpgrade(socket, admission.status, admission.reason);
      return;
    }
    const { docName, principal, address } = admission;
    const giveBackSlot = slots.take(address);
    if (giveBackSlot === null) {
      metrics.rejectedUpgrades.inc({ status: 'address_limit' });
      closeWithReason(
        request,
        socket,
        head,
        CloseCode.policy,
        'too many connections from this address',
      );
      return;
    }
    const hold = new UpgradeHold(giveBackSlot, rooms, (connection) => {
      connections.delete(connection);
      metrics.connections.set(connections.size);
      hooks?.disconnected({ docName, principal, request });
      activity?.disconnected(docName);
    });
    socket.once('close', hold.release);
    // The client may have gone while admission awaited; its 'close' is then already past.
    if (socket.destroyed) {
      hold.release();
      return;
    }

    let room: Room;
    try {
      room = await rooms.acquire(docName);
    } catch (error) {
      const timedOut = error instanceof LoadTimeoutError;
      log.error(
        { err: error, doc: docName },
        timedOut ? 'document load timed out' : 'document failed to load',
      );
      // Nothing was loaded or kept; the client retries.
      if (hold.released || !socket.writable) {
        socket.destroy();
        return;
      }
      closeWithReason(
        request,
        socket,
        head,
        CloseCode.loadFailed,
        timedOut
          ? 'document took too long to load; try again'
          : 'document could not be loaded; try again',
      );
      return;
    }
    // The client gave up while the document loaded: the hold gives the room back at once.
    if (!hold.holdRoom(room)) return;
    // Checked with the room held, so a trash that lands after this finds the connection open
    // and closes it; a browser reads the reason only from a completed handshake.
    let trashed: TrashState;
    try {
      trashed = await trashState(docName);
    } catch (error) {
      log.error({ err: error, doc: docName }, 'document trash state could not be read');
      closeWithReason(
        request,
        socket,
        head,
        CloseCode.loadFailed,
        'document could not be loaded; try again',
      );
      return;
    }
    if (trashed === 'trashed') {
      metrics.rejectedUpgrades.inc({ status: 'trashed' });
      closeWithReason(request, socket, head, CloseCode.trashed, TRASHED_REASON);
      return;
    }
    if (trashed === 'purged') {
      metrics.rejectedUpgrades.inc({ status: 'purged' });
      closeWithReason(request, socket, head, CloseCode.purged, PURGED_REASON);
      return;
    }
    if (isClosing()) {
      refuseUpgrade(socket, 503, 'relay is shutting down');
      return;
    }
    // A client that half-closed (or vanished) mid-load: ws would destroy the socket without
    // a word; destroying it here says the same, and the 'close' releases the hold.
    if (!socket.readable || !socket.writable) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const connection = new Connection(ws, room, principal, options.limits, log, metrics, socket);
      connections.add(connection);
      metrics.connections.set(connections.size);
      hold.holdConnection(connection);
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
      ws.on('close', hold.release);
      connection.open();
      hooks?.connected({ docName, principal, request });
      activity?.connected(docName);
    });
  };

  return (request, socket, head) => {
    upgrade(request, socket, head).catch((error: unknown) => {
      log.error({ err: error }, 'upgrade failed');
      socket.destroy();
    });
  };
}

/**
 * What one upgrade holds — its address slot, its room once loaded, its connection once open —
 * given back together and exactly once by `release`.
 */
class UpgradeHold {
  private done = false;
  private room: Room | null = null;
  private connection: Connection | null = null;

  constructor(
    private readonly giveBackSlot: () => void,
    private readonly rooms: Rooms,
    private readonly forgetConnection: (connection: Connection) => void,
  ) {}

  get released(): boolean {
    return this.done;
  }

  /** Keeps `room` until release; false (having given it back already) when released. */
  holdRoom(room: Room): boolean {
    if (this.done) {
      this.rooms.release(room);
      return false;
    }
    this.room = room;
    return true;
  }

  holdConnection(connection: Connection): void {
    this.connection = connection;
  }

  readonly release = (): void => {
    if (this.done) return;
    this.done = true;
    this.giveBackSlot();
    if (this.connection) {
      this.forgetConnection(this.connection);
      this.connection.leave();
    }
    if (this.room) this.rooms.release(this.room);
  };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
};

/**
 * Answers an upgrade with an HTTP error and closes the socket once the answer is written,
 * so a client that never closes its side cannot keep it open.
 */
export function refuseUpgrade(
  socket: Duplex,
  status: 400 | 401 | 403 | 503,
  reason: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const body = `${reason}\n`;
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      extra +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
