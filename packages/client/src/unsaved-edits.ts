/**
 * The edits made on this device that the relay has not yet confirmed as stored, counted in
 * transactions (one keystroke, one paste, one title change), by the relay's counted
 * acknowledgement (type 101, `@weft/protocol` stored-count.ts).
 *
 * The relay numbers the document messages it receives on a socket; so does this class, as
 * the socket sends them (`countingWebSocket` reports each one). Each edit is pinned to the
 * message that carries it:
 * - while connected, y-websocket sends each local transaction at once as one update message.
 *   This class's document listener is registered before the provider's (DocumentSession
 *   creates it first), so it sees the edit just before the provider sends it, and the next
 *   update message sent is that edit's;
 * - an edit made while no socket could carry it (offline, connecting, or on a socket that
 *   closed before its acknowledgement) is carried by the next SyncStep2 this device sends,
 *   which holds everything the relay lacks, deletions included.
 * An acknowledgement of n settles every edit pinned to a message ≤ n on the current socket.
 * Edits of a closed socket that were not acknowledged are pinned again on the next one:
 * the relay may or may not have stored them, and the next SyncStep2 carries them anyway.
 *
 * Edits applied with the provider as origin came from the relay, and are not counted: they
 * are the relay's to store. Everything else is this device's, including the offline copy's
 * contents loaded from IndexedDB, which may hold edits the relay never saw.
 */
import { isDocumentMessage } from '@weft/protocol';
import type * as Y from 'yjs';

/** y-protocols' sync sub-type of a SyncStep2 (the second byte of the frame). */
const SYNC_STEP_2 = 1;

interface PendingEdit {
  /** The socket whose message carries it, or null while nothing has sent it. */
  socket: object | null;
  /** That socket's count of the carrying message. */
  message: number;
}

export class UnsavedEdits {
  private readonly pending: PendingEdit[] = [];
  /** The socket whose messages are being counted (the provider's newest). */
  private socket: object | null = null;
  private sent = 0;
  /** The edit of the transaction being emitted now, until an update message carries it. */
  private fresh: PendingEdit | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly isRemote: (origin: unknown) => boolean,
  ) {
    doc.on('update', this.handleUpdate);
  }

  /** Local edits not yet acknowledged as stored. */
  get count(): number {
    return this.pending.length;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new socket exists: its messages are counted from 1; older pins are void. */
  socketCreated(socket: object): void {
    this.socket = socket;
    this.sent = 0;
    this.fresh = null;
    for (const edit of this.pending) edit.socket = null;
  }

  /** `socket` is sending `frame` (only frames that leave an open socket). */
  frameSent(socket: object, frame: Uint8Array): void {
    if (socket !== this.socket || !isDocumentMessage(frame)) return;
    this.sent++;
    if (frame[1] === SYNC_STEP_2) {
      for (const edit of this.pending) {
        if (edit.socket === null) this.pin(edit);
      }
    } else if (this.fresh !== null) {
      this.pin(this.fresh);
    }
    this.fresh = null;
  }

  /** The relay stored the first `stored` document messages of the current socket. */
  acknowledge(stored: number): void {
    const before = this.pending.length;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const edit = this.pending[i];
      if (edit?.socket === this.socket && edit.socket !== null && edit.message <= stored) {
        this.pending.splice(i, 1);
      }
    }
    if (this.pending.length !== before) this.notify();
  }

  destroy(): void {
    this.doc.off('update', this.handleUpdate);
    this.listeners.clear();
  }

  private pin(edit: PendingEdit): void {
    edit.socket = this.socket;
    edit.message = this.sent;
  }

  private readonly handleUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (this.isRemote(origin)) return;
    const edit: PendingEdit = { socket: null, message: 0 };
    this.pending.push(edit);
    // Only the provider's update message for this transaction, sent right after this
    // listener returns, may take it; any later update message carries a later transaction.
    this.fresh = edit;
    this.notify();
  };

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * A WebSocket class that tells `edits` about every socket it creates and every frame it
 * sends while open, so that both ends count the same document messages.
 */
export function countingWebSocket(
  Base: typeof WebSocket | undefined,
  edits: UnsavedEdits,
): typeof WebSocket {
  // Node 20 has no global WebSocket: say what to pass rather than fail inside `extends`.
  if (Base === undefined) throw new Error('no WebSocket here: pass a WebSocketPolyfill');
  return class CountingWebSocket extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      edits.socketCreated(this);
    }

    override send(data: Parameters<WebSocket['send']>[0]): void {
      // A frame sent on a socket that is not open never reaches the relay, so it is not
      // counted: the two counts must stay the same.
      if (this.readyState === 1 && data instanceof Uint8Array) edits.frameSent(this, data);
      super.send(data);
    }
  };
}
