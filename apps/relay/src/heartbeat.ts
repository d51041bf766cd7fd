/**
 * Pings every connection once per interval, a tenth of them at a time.
 *
 * Pinging all connections together sends thousands of pings and reads thousands of pongs in
 * one burst, every document's updates waiting behind them; spread over the interval the same
 * work is a few connections at a time. Each connection keeps its slot, so it is still pinged
 * exactly once per interval and dropped at its next ping if the previous one got no pong.
 */
export interface Pingable {
  /** Sends a ping; false when the previous ping was never answered. */
  ping(): boolean;
  terminate(): void;
}

const SLICES = 10;

/** Starts the heartbeat; the returned function stops it. */
export function startHeartbeat(connections: ReadonlySet<Pingable>, intervalMs: number): () => void {
  const slots = new WeakMap<Pingable, number>();
  let assigned = 0;
  let tick = 0;
  const timer = setInterval(() => {
    const slot = tick++ % SLICES;
    for (const connection of connections) {
      let own = slots.get(connection);
      if (own === undefined) {
        own = assigned++ % SLICES;
        slots.set(connection, own);
      }
      if (own === slot && !connection.ping()) connection.terminate();
    }
  }, intervalMs / SLICES);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
