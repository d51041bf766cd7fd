import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from './delay-proxy';

let echo: Server | null = null;
let proxy: DelayProxy | null = null;

afterEach(async () => {
  await proxy?.close();
  await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
  proxy = null;
  echo = null;
});

/** An echo server on a free port. */
async function startEcho(): Promise<number> {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo?.listen(0, '127.0.0.1', () => resolve()));
  const address = echo.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('startDelayProxy', () => {
  it('passes bytes both ways, in order, a round trip later', async () => {
    proxy = await startDelayProxy(await startEcho(), 40);
    const socket = connect(proxy.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const received: Buffer[] = [];
    const sent = Array.from({ length: 20 }, (_, i) => `chunk ${i};`);
    const started = performance.now();
    const done = new Promise<number>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        if (Buffer.concat(received).toString() === sent.join('')) resolve(performance.now());
      });
    });
    for (const chunk of sent) socket.write(chunk);
    const finished = await done;
    // Out through the proxy and back: twice the one-way delay at least (timers may fire a
    // millisecond early by the clock).
    expect(finished - started).toBeGreaterThanOrEqual(78);
    socket.destroy();
  });

  it('ends the far side when the near side ends', async () => {
    proxy = await startDelayProxy(await startEcho(), 10);
    const socket = connect(proxy.port, '127.0.0.1');
    const ended = new Promise<void>((resolve) => socket.on('end', () => resolve()));
    socket.end('bye');
    await ended;
    socket.destroy();
  });
});
