/**
 * One client's WebSocket on one room: decodes its frames, enforces what its token allows,
 * applies them, and answers.
 *
 * Frames are validated before they touch the live document; a malformed frame closes this
 * connection with 1007 and leaves the document and everyone else untouched. Unknown message
 * types are ignored, as the y-websocket protocol expects.
 */
import { MessageType, encodeSavedAck, encodeStoredCountAck } from '@weft/protocol';
import * as decoding from 'lib0/decoding';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { Principal } from './auth';
import { filterAwarenessUpdate } from './awareness-guard';
import { awarenessFrame, syncStep1Frame, syncStep2Frame } from './frames';
import type { RelayMetrics } from './metrics';
import type { SharedFrame } from './shared-frame';
import type { Room, RoomMember } from './room';
import { StoredReceipts } from './stored-receipts';
import { TokenBucket } from './token-bucket';
import { updateAddsNothing } from './update-novelty';
import { holdWrites } from './write-coalescer';

export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  invalidData: 1007,
  policy: 1008,
  tooBig: 1009,
  /** The document could not be loaded from storage; nothing was changed, try again. */
  loadFailed: 1011,
  serviceRestart: 1012,
  /** Storage is behind (the document's pending-bytes bound): reconnect later and resend. */
  tryAgainLater: 1013,
  /** The connection's token expired; the client should get a fresh one and reconnect. */
  tokenExpired: 4401,
  /** The document was moved to the trash: no connections or updates until it is restored. */
  trashed: 4404,
  /** The document was deleted for good (its tombstone lasts the trash retention). */
  purged: 4410,
} as const;

/** Per-connection limits against floods and oversized presence. */
export interface ConnectionLimits {
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  readonly bytesPerSecond: number;
  readonly byteBurst: number;
  /** Largest awareness state (UTF-8 bytes of its JSON) one client id may publish. */
  readonly maxAwarenessStateBytes: number;
  /** Awareness client ids one connection may introduce. */
  readonly maxAwarenessClients: number;
}

/** Thrown for frames that cannot be decoded; closes the connection with 1007. */
class MalformedFrameError extends Error {}

export class Connection implements RoomMember {
  wantsSaved = false;
  /** Opted in to counted acknowledgements (type 101). */
  private wantsStoredCount = false;
  /** Which of this connection's document messages are stored, counted from the open. */
  private readonly receipts = new StoredReceipts();
  readonly awarenessClients = new Set<number>();
  private alive = true;
  private readonly messageBudget: TokenBucket;
  private readonly byteBudget: TokenBucket;
  private expiryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: WebSocket,
    readonly room: Room,
    readonly principal: Principal,
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
    private readonly metrics: RelayMetrics,
    /**
     * The TCP socket under `socket`: shared frames are written to it directly, and its writes
     * are coalesced per event-loop turn.
     */
    private readonly transport: Duplex,
  ) {
    this.messageBudget = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
    this.byteBudget = new TokenBucket(limits.byteBurst, limits.bytesPerSecond);
  }

  /** Joins the room, starts the sync handshake, and arms the token's expiry. */
  open(): void {
    this.room.members.add(this);
    this.reply(syncStep1Frame(this.room.doc));
    const states = [...this.room.awareness.getStates().keys()];
    if (states.length > 0) this.reply(awarenessFrame(this.room.awareness, states));
    this.socket.on('pong', () => {
      this.alive = true;
    });
    this.armExpiry();
  }

  /** Closes the connection with 4401 when its token expires. */
  private armExpiry(): void {
    const msLeft = this.principal.expiresAt * 1000 - Date.now();
    if (!Number.isFinite(msLeft)) return;
    if (msLeft <= 0) {
      this.close(CloseCode.tokenExpired, 'token expired');
      return;
    }
    // setTimeout overflows past ~24.8 days, so long-lived tokens are re-checked on the way.
    this.expiryTimer = setTimeout(
      () => {
        this.armExpiry();
      },
      Math.min(msLeft, 2 ** 31 - 1),
    );
    this.expiryTimer.unref();
  }

  /** Leaves the room, removing the presence this connection introduced for everyone. */
  leave(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    if (!this.room.members.delete(this)) return;
    if (this.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(
        this.room.awareness,
        [...this.awarenessClients],
        null,
      );
    }
  }

  /** Sends a frame built for many recipients: its wire bytes go straight to the socket. */
  send(frame: SharedFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.metrics.countSent(frame.payload.byteLength);
    holdWrites(this.transport);
    // ws writes each of its own frames whole and synchronously (no compression is negotiated:
    // relay.ts), so a complete message written here never lands inside one of them.
    this.transport.write(frame.bytes);
  }

  /** Sends a frame meant for this connection alone. */
  private reply(payload: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.metrics.countSent(payload.byteLength);
    holdWrites(this.transport);
    this.socket.send(payload, (error) => {
      if (error) this.log.debug({ err: error }, 'send failed');
    });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  /** Drops the socket at once, without a closing handshake (peer unresponsive, or shutdown). */
  terminate(): void {
    this.socket.terminate();
  }

  /** Heartbeat: false when the previous ping got no pong (the peer is gone). */
  ping(): boolean {
    if (!this.alive) return false;
    this.alive = false;
    this.socket.ping();
    return true;
  }

  handleFrame(data: Uint8Array): void {
    this.metrics.messagesIn.inc();
    this.metrics.bytesIn.inc(data.byteLength);
    if (!this.messageBudget.take(1) || !this.byteBudget.take(data.byteLength)) {
      this.reject('rate', CloseCode.policy, 'rate limit exceeded');
      return;
    }
    try {
      this.dispatch(data);
    } catch (error) {
      const reason = error instanceof MalformedFrameError ? error.message : 'malformed frame';
      this.log.warn({ err: error, doc: this.room.name }, 'closing connection: malformed frame');
      this.reject('malformed', CloseCode.invalidData, reason);
    }
  }

  private reject(reason: string, code: number, message: string): void {
    this.metrics.rejectedFrames.inc({ reason });
    if (this.socket.readyState === this.socket.OPEN) this.close(code, message);
  }

  private dispatch(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.sync:
        this.handleSync(decoder);
        return;
      case MessageType.awareness:
        this.handleAwareness(decoding.readVarUint8Array(decoder));
        return;
      case MessageType.queryAwareness: {
        const states = [...this.room.awareness.getStates().keys()];
        this.reply(awarenessFrame(this.room.awareness, states));
        return;
      }
      case MessageType.saved:
        this.wantsSaved = true;
        this.reply(encodeSavedAck(this.room.persister.saved));
        return;
      case MessageType.storedCount:
        this.wantsStoredCount = true;
        this.reply(encodeStoredCountAck(this.receipts.stored));
        return;
      default:
        // Unknown types are ignored so newer clients keep working with this relay.
        return;
    }
  }

  private handleSync(decoder: decoding.Decoder): void {
    const step = decoding.readVarUint(decoder);
    switch (step) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = decoding.readVarUint8Array(decoder);
        // Answer with only what the client lacks, never the whole document.
        this.reply(syncStep2Frame(Y.encodeStateAsUpdate(this.room.doc, stateVector)));
        return;
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder);
        validateUpdate(update);
        if (this.principal.role !== 'write') {
          // A reader's content is never applied, stored or broadcast; it stays connected.
          // Only a message that carried nothing new may be counted as stored.
          this.metrics.rejectedFrames.inc({ reason: 'read_only' });
          if (updateAddsNothing(update, this.room.doc)) this.acceptDocumentMessage();
          else this.receipts.refuse();
          return;
        }
        if (!this.room.persister.hasRoomFor(update.byteLength)) {
          // Not applied: the edit stays in the client's copy, resent when it reconnects.
          this.reject(
            'storage_behind',
            CloseCode.tryAgainLater,
            'storage is behind; try again later',
          );
          return;
        }
        if (!this.room.authorship.admit(update, this.room.doc, this.principal)) {
          // Authorship cannot be forged: see history/authorship.ts. Nothing was applied.
          this.reject('forged_client', CloseCode.policy, "content under another user's client id");
          return;
        }
        Y.applyUpdate(this.room.doc, update, this);
        this.acceptDocumentMessage();
        return;
      }
      default:
        throw new MalformedFrameError(`unknown sync step ${step}`);
    }
  }

  /** Counts a document message that is applied; acknowledges it at once if nothing waits. */
  private acceptDocumentMessage(): void {
    const { persister } = this.room;
    this.acknowledgeStored(this.receipts.accept(persister.queued, persister.stored));
  }

  /** The room's persister stored every update up to `sequence`. */
  storedThrough(sequence: number): void {
    this.acknowledgeStored(this.receipts.advance(sequence));
  }

  private acknowledgeStored(count: number | null): void {
    if (count !== null && this.wantsStoredCount) this.reply(encodeStoredCountAck(count));
  }

  private handleAwareness(update: Uint8Array): void {
    let filtered;
    const claimedInFrame = new Set<number>();
    try {
      filtered = filterAwarenessUpdate(
        update,
        (clientId) =>
          this.room.mayWriteAwareness(
            this,
            clientId,
            this.limits.maxAwarenessClients,
            claimedInFrame,
          ),
        this.limits.maxAwarenessStateBytes,
      );
    } catch {
      throw new MalformedFrameError('awareness update does not decode');
    }
    if (filtered.rejected > 0)
      this.metrics.rejectedFrames.inc({ reason: 'awareness' }, filtered.rejected);
    if (filtered.update) {
      awarenessProtocol.applyAwarenessUpdate(this.room.awareness, filtered.update, this);
    }
  }
}

/** Decodes a Yjs update completely, so a corrupt one is refused before it is applied. */
function validateUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch {
    throw new MalformedFrameError('update does not decode');
  }
}
