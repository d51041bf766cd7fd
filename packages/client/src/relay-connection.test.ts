import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ManualNetworkSignal } from './network-signal.js';
import { RelayConnection } from './relay-connection.js';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket.js';

const backoff = { baseMs: 1000, maxMs: 8000 };

function setup(options: { online?: boolean; random?: () => number } = {}) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider('ws://relay.test', 'doc', doc, {
    connect: false,
    disableBc: true,
    WebSocketPolyfill: FakeWebSocketPolyfill,
  });
  const network = new ManualNetworkSignal(options.online ?? true);
  const connection = new RelayConnection(provider, {
    network,
    backoff,
    random: options.random ?? (() => 0.5),
  });
  const relayDoc = new Y.Doc();
  return { doc, provider, network, connection, relayDoc };
}

describe('RelayConnection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects on start and is synced only after the handshake completes', () => {
    const { connection, relayDoc } = setup();
    connection.start();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(connection.getSnapshot().phase).toBe('connecting');
    FakeWebSocket.latest().accept();
    expect(connection.getSnapshot().phase).toBe('connecting');
    FakeWebSocket.latest().completeSync(relayDoc);
    expect(connection.getSnapshot()).toEqual({ phase: 'synced', failures: 0, retryAt: null });
    connection.destroy();
  });

  it('retries with full-jitter backoff, and y-websocket’s own retry timer stays idle', () => {
    const { connection } = setup({ random: () => 0.5 });
    connection.start();
    // Attempt 1 fails: the next waits 0.5 × 1000 ms.
    FakeWebSocket.latest().fail();
    expect(connection.getSnapshot().phase).toBe('unreachable');
    expect(connection.getSnapshot().failures).toBe(1);
    vi.advanceTimersByTime(499);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    // Attempt 2 fails: 0.5 × 2000 ms.
    FakeWebSocket.latest().fail();
    vi.advanceTimersByTime(999);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);
    // While attempt 3 is pending, nothing else opens a socket (y-websocket would have
    // retried after 200 ms and 400 ms on its own).
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(3);
    connection.destroy();
  });

  it('draws every delay from the injected random source', () => {
    const draws = [0, 0.25, 0.999];
    const { connection } = setup({ random: () => draws.shift() ?? 0 });
    connection.start();
    const delays: (number | null)[] = [];
    for (let i = 0; i < 3; i++) {
      FakeWebSocket.latest().fail();
      const { retryAt } = connection.getSnapshot();
      delays.push(retryAt === null ? null : retryAt - Date.now());
      vi.advanceTimersByTime(retryAt === null ? 0 : retryAt - Date.now());
    }
    // Ceilings 1000, 2000, 4000 ms.
    expect(delays).toEqual([0, 500, 3996]);
    connection.destroy();
  });

  it('resets the backoff after a connection that synced', () => {
    const { connection, relayDoc } = setup({ random: () => 0.999 });
    connection.start();
    FakeWebSocket.latest().fail();
    vi.advanceTimersByTime(1000);
    FakeWebSocket.latest().fail();
    expect(connection.getSnapshot().failures).toBe(2);
    vi.advanceTimersByTime(2000);
    FakeWebSocket.latest().accept();
    FakeWebSocket.latest().completeSync(relayDoc);
    expect(connection.getSnapshot().failures).toBe(0);
    FakeWebSocket.latest().fail(1012);
    // Back to the first ceiling (1000 ms), not the third.
    expect((connection.getSnapshot().retryAt ?? 0) - Date.now()).toBe(999);
    connection.destroy();
  });

  it('counts a relay that accepts and then drops the socket as a failure', () => {
    const { connection } = setup();
    connection.start();
    FakeWebSocket.latest().accept();
    FakeWebSocket.latest().fail();
    expect(connection.getSnapshot()).toMatchObject({ phase: 'unreachable', failures: 1 });
    connection.destroy();
  });

  it('disconnects at once when the device goes offline and reconnects at once when back', () => {
    const { connection, network, relayDoc } = setup();
    connection.start();
    const first = FakeWebSocket.latest();
    first.accept();
    first.completeSync(relayDoc);
    network.set(false);
    expect(first.readyState).toBe(FakeWebSocket.CLOSED);
    expect(connection.getSnapshot().phase).toBe('offline');
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    network.set(true);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(connection.getSnapshot().phase).toBe('connecting');
    connection.destroy();
  });

  it('coming back online skips a pending backoff wait', () => {
    const { connection, network } = setup({ random: () => 0.99 });
    connection.start();
    FakeWebSocket.latest().fail();
    network.set(false);
    network.set(true);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(connection.getSnapshot()).toMatchObject({ phase: 'connecting', failures: 0 });
    connection.destroy();
  });

  it('does not connect when started offline', () => {
    const { connection } = setup({ online: false });
    connection.start();
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(connection.getSnapshot().phase).toBe('offline');
    connection.destroy();
  });

  it('does not retry a deliberate refusal (4400–4499) until asked to', () => {
    const { connection } = setup();
    connection.start();
    FakeWebSocket.latest().fail(4403);
    expect(connection.getSnapshot()).toMatchObject({ phase: 'unreachable', retryAt: null });
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    connection.retryNow();
    expect(FakeWebSocket.instances).toHaveLength(2);
    connection.destroy();
  });

  it('retryNow during an attempt: if it fails, the next one starts without waiting', () => {
    const { connection } = setup({ random: () => 0.99 });
    connection.start();
    FakeWebSocket.latest().fail();
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    connection.retryNow();
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.latest().fail();
    vi.advanceTimersByTime(0);
    expect(FakeWebSocket.instances).toHaveLength(3);
    // Later failures wait again.
    FakeWebSocket.latest().fail();
    vi.advanceTimersByTime(100);
    expect(FakeWebSocket.instances).toHaveLength(3);
    connection.destroy();
  });

  it('reconnects after y-websocket’s watchdog drops a silent socket', () => {
    const { connection, provider, relayDoc } = setup({ random: () => 0 });
    connection.start();
    FakeWebSocket.latest().accept();
    FakeWebSocket.latest().completeSync(relayDoc);
    // lib0 reads the real clock, so pretend the last frame came long ago; the watchdog checks
    // every 3 s and closes the socket itself (connection-close with a null event).
    provider.wsLastMessageReceived = 0;
    vi.advanceTimersByTime(3000);
    expect(connection.getSnapshot()).toMatchObject({ phase: 'unreachable', failures: 1 });
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    connection.destroy();
  });

  it('tells open listeners about each new socket and routes extension frames', () => {
    const { connection, relayDoc } = setup();
    const opened = vi.fn();
    const received: number[] = [];
    connection.onOpen(opened);
    connection.onMessage(100, (decoder) => received.push(decoder.arr.length));
    connection.start();
    FakeWebSocket.latest().accept();
    expect(opened).toHaveBeenCalledTimes(1);
    expect(connection.send(Uint8Array.of(100))).toBe(true);
    expect(FakeWebSocket.latest().sent.at(-1)).toEqual(Uint8Array.of(100));
    FakeWebSocket.latest().deliver(Uint8Array.of(100, 0));
    expect(received).toEqual([2]);
    FakeWebSocket.latest().completeSync(relayDoc);
    connection.stop();
    expect(connection.send(Uint8Array.of(100))).toBe(false);
    connection.destroy();
  });
});
