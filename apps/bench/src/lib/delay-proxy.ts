/**
 * A TCP proxy that puts a network's distance between a browser and a server on one machine:
 * every chunk is passed on `oneWayMs` after it arrived, in each direction, in order (a round
 * trip of twice that), with no limit on bandwidth. HTTP, the service worker's fetches and
 * WebSocket frames all pay it, as they would to a server across a network; nothing else
 * changes.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface DelayProxy {
  /** The port to connect to instead of the server's. */
  readonly port: number;
  close(): Promise<void>;
}

/** Passes what `from` sends to `to`, each chunk `delayMs` later, and its end likewise. */
function delayed(from: Socket, to: Socket, delayMs: number): void {
  // Timers with the same delay fire in the order they were set, so chunks stay in order.
  from.on('data', (chunk) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => {
    setTimeout(() => to.end(), delayMs);
  });
}

export async function startDelayProxy(targetPort: number, oneWayMs: number): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
    }
    delayed(client, upstream, oneWayMs);
    delayed(upstream, client, oneWayMs);
    // A reset on either side ends the pair, as a dropped connection would.
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
