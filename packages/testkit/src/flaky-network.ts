/**
 * A network between y-websocket clients and the relay that the test controls: every frame in
 * either direction can be delayed (FIFO per connection, like TCP), and connections can be cut
 * abruptly with whatever was in flight lost. Plug it in as y-websocket's `WebSocketPolyfill`.
 */
import { WebSocket as NodeWebSocket } from 'ws';
import type { Random } from './random';

interface MessageLike {
  data: ArrayBuffer;
}

export class FlakyNetwork {
  /** Upper bound of the random one-way delay of each frame. */
  maxDelayMs = 0;
  private readonly sockets = new Set<FlakySocket>();

  constructor(private readonly random: Random) {}

  /** The WebSocket class to give y-websocket. */
  get WebSocket(): typeof globalThis.WebSocket {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the class closes over its network
    const network = this;
    class BoundFlakySocket extends FlakySocket {
      constructor(url: string, protocols?: string | string[]) {
        super(network, url, protocols);
      }
    }
    return BoundFlakySocket as unknown as typeof globalThis.WebSocket;
  }

  /** Cuts every open connection at once, losing frames in flight. */
  cutAll(): void {
    for (const socket of this.sockets) socket.cut();
  }

  /** @internal */
  delay(): number {
    return this.maxDelayMs > 0 ? this.random.int(0, this.maxDelayMs) : 0;
  }

  /** @internal */
  track(socket: FlakySocket, open: boolean): void {
    if (open) this.sockets.add(socket);
    else this.sockets.delete(socket);
  }
}

class FlakySocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: MessageLike) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  binaryType = 'arraybuffer';

  private readonly inner: NodeWebSocket;
  private readonly queues: Record<'in' | 'out', { at: number; deliver: () => void }[]> = {
    in: [],
    out: [],
  };
  private cutOff = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly network: FlakyNetwork,
    url: string,
    protocols?: string | string[],
  ) {
    this.inner = new NodeWebSocket(url, protocols);
    this.inner.binaryType = 'arraybuffer';
    this.inner.on('open', () => {
      this.network.track(this, true);
      this.onopen?.({});
    });
    this.inner.on('message', (data: ArrayBuffer) => {
      this.later('in', () => this.onmessage?.({ data }));
    });
    this.inner.on('close', (code, reason) => {
      this.network.track(this, false);
      this.dropInFlight();
      this.onclose?.({ code, reason: reason.toString() });
    });
    this.inner.on('error', (error) => this.onerror?.(error));
  }

  get readyState(): number {
    return this.cutOff ? FlakySocket.CLOSED : this.inner.readyState;
  }

  send(data: ArrayBufferView | ArrayBuffer): void {
    if (this.cutOff) return;
    const copy =
      data instanceof ArrayBuffer
        ? new Uint8Array(data.slice(0))
        : new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.later('out', () => {
      if (this.inner.readyState === NodeWebSocket.OPEN) this.inner.send(copy);
    });
  }

  close(): void {
    this.dropInFlight();
    this.inner.close();
  }

  /** An abrupt network failure: no closing handshake, in-flight frames lost. */
  cut(): void {
    this.cutOff = true;
    this.dropInFlight();
    this.inner.terminate();
  }

  /** Runs `deliver` after a random delay, never before anything queued earlier (FIFO). */
  private later(direction: 'in' | 'out', deliver: () => void): void {
    const queue = this.queues[direction];
    const last = queue.at(-1)?.at ?? 0;
    queue.push({ at: Math.max(last, Date.now() + this.network.delay()), deliver });
    if (queue.length === 1) this.pump(direction);
  }

  /** Delivers every due frame at the head of the queue, then waits for the next one. */
  private pump(direction: 'in' | 'out'): void {
    const queue = this.queues[direction];
    while (queue.length > 0 && (queue[0]?.at ?? 0) <= Date.now()) queue.shift()?.deliver();
    const next = queue[0];
    if (next === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.pump(direction);
    }, next.at - Date.now());
    this.timers.add(timer);
  }

  private dropInFlight(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queues.in.length = 0;
    this.queues.out.length = 0;
  }
}
