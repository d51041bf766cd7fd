/**
 * A bare WebSocket to the relay that sends exactly the bytes a test gives it, for probing
 * how the relay treats malformed, oversized or hostile input.
 */
import { WebSocket } from 'ws';

export interface RawSocket {
  readonly socket: WebSocket;
  /** Binary frames received so far. */
  readonly frames: Uint8Array[];
  /** Resolves with the close code and reason once the connection closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  send(bytes: Uint8Array | string): void;
}

/** Opens a socket to `url` and resolves once it is open (rejects on HTTP refusal). */
export function openRawSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), { headers });
    const frames: Uint8Array[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolveClose) => {
      socket.on('close', (code, reason) => {
        resolveClose({ code, reason: reason.toString() });
      });
    });
    socket.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
    socket.on('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
    });
    socket.on('error', reject);
    socket.on('open', () => {
      resolve({
        socket,
        frames,
        closed,
        send: (bytes) => {
          socket.send(bytes);
        },
      });
    });
  });
}

/** The HTTP status a WebSocket upgrade to `url` is refused with, or 101 if it is accepted. */
export function upgradeStatus(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), options.protocols ?? [], {
      headers: options.headers ?? {},
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => undefined);
  });
}
