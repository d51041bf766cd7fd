/** The relay in this process, on a free loopback port, for integration tests. */
import { LevelDocStore, type DocStore } from '@weft/storage';
import { silentLogger } from './logger';
import { RelayMetrics } from './metrics';
import { startRelay, type Relay, type RelayOptions } from './relay';
import { connectionLimits } from './relay-options';

export const testRelayOptions: RelayOptions = {
  port: 0,
  host: '127.0.0.1',
  webDist: null,
  idleUnloadMs: 50,
  compactUpdates: 1000,
  compactBytes: 4 * 1024 * 1024,
  maxFrameBytes: 8 * 1024 * 1024,
  heartbeatMs: 30_000,
  authKey: null,
  allowedOrigins: null,
  trustProxy: false,
  maxConnectionsPerAddress: 10_000,
  limits: connectionLimits({
    messagesPerSecond: 100_000,
    bytesPerSecond: 64 * 1024 * 1024,
    maxFrameBytes: 8 * 1024 * 1024,
  }),
};

/** A relay on LevelDB in `dataDir`, or on the given store. */
export async function startTestRelay(
  storage: { dataDir: string } | { store: DocStore },
  overrides: Partial<RelayOptions> = {},
): Promise<Relay> {
  const store =
    'store' in storage ? storage.store : await LevelDocStore.open({ directory: storage.dataDir });
  const metrics = new RelayMetrics({ processMetrics: false });
  return startRelay({ ...testRelayOptions, ...overrides }, store, silentLogger(), metrics);
}

/** `ws://127.0.0.1:<port>` of a relay (its `url` says localhost, which may resolve to ::1). */
export function wsUrl(relay: Relay): string {
  return `ws://127.0.0.1:${relay.port}`;
}
