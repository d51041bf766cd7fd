/**
 * A WebSocket stand-in for unit tests of code around y-websocket's provider: the test plays
 * the relay by opening, answering and closing each socket by hand, and can count how many
 * sockets the code under test opened.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';

export class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** Every socket created since the last `reset()`, oldest first. */
  static instances: FakeWebSocket[] = [];

  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  binaryType = 'blob';
  readyState = 0;
  /** Frames the client sent, in order. */
  readonly sent: Uint8Array[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: ArrayBuffer }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  static reset(): void {
    FakeWebSocket.instances = [];
  }

  /** The most recent socket; throws when none was opened. */
  static latest(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }

  send(data: Uint8Array): void {
    this.sent.push(new Uint8Array(data));
  }

  close(): void {
    this.readyState = FakeWebSocket.CLOSED;
  }

  /** The relay accepts the connection. */
  accept(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.({});
  }

  /** The relay sends a frame. */
  deliver(frame: Uint8Array): void {
    const copy = new Uint8Array(frame);
    this.onmessage?.({ data: copy.buffer });
  }

  /** The relay answers the handshake with its state (sync step 2), completing the sync. */
  completeSync(relayDoc: Y.Doc): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep2(encoder, relayDoc);
    this.deliver(encoding.toUint8Array(encoder));
  }

  /** The relay asks for what it lacks (sync step 1); the client answers with a SyncStep2. */
  requestSync(relayDoc: Y.Doc): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, relayDoc);
    this.deliver(encoding.toUint8Array(encoder));
  }

  /** Document messages (SyncStep2 and updates) the client sent, as the relay counts them. */
  documentMessages(): number {
    return this.sent.filter((frame) => frame[0] === 0 && (frame[1] === 1 || frame[1] === 2)).length;
  }

  /** The connection fails or the relay closes it. */
  fail(code = 1006): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason: '' });
  }
}

/** The fake typed as the browser's WebSocket, for `WebSocketPolyfill` options. */
export const FakeWebSocketPolyfill = FakeWebSocket as unknown as typeof WebSocket;
