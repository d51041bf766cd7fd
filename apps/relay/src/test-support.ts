/** The relay in this process, on a free loopback port, for integration tests. */
import { get } from 'node:http';
import { LevelDocStore, MemoryDocStore, type DocStore } from '@weft/storage';
import { connectYjsClient, type YjsClient, type YjsClientOptions } from '@weft/testkit';
import { afterEach } from 'vitest';
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
  publicUrl: null,
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

/**
 * A memory store whose loads do not finish until the test calls `openLoads()`, so a test can
 * look at the relay while a document is still loading (the plain memory store loads in the
 * same turn, which hides races). Counts every load it is asked for.
 */
export class GatedLoadStore extends MemoryDocStore {
  /** Loads asked for so far, finished or not. */
  loads = 0;
  private opened = false;
  private readonly waiting: (() => void)[] = [];

  override async load(name: string): Promise<Uint8Array | null> {
    this.loads++;
    if (!this.opened) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return super.load(name);
  }

  /** Lets every waiting load, and every later one, go through. */
  openLoads(): void {
    this.opened = true;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** `ws://127.0.0.1:<port>` of a relay (its `url` says localhost, which may resolve to ::1). */
export function wsUrl(relay: Relay): string {
  return `ws://127.0.0.1:${relay.port}`;
}

export interface RelayHarness {
  /** A relay on `storage` (default: a fresh in-memory store), closed after the test. */
  start(
    storage?: { dataDir: string } | { store: DocStore },
    overrides?: Partial<RelayOptions>,
  ): Promise<Relay>;
  /** An official y-websocket client of `docName` on `relay`, destroyed after the test. */
  connect(relay: Relay, docName: string, options?: YjsClientOptions): YjsClient;
}

/**
 * Relays and clients for the tests of one `describe` block: everything started through the
 * harness is torn down after each test, whatever the test did.
 */
export function useRelayHarness(): RelayHarness {
  const clients: YjsClient[] = [];
  const relays: Relay[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const relay of relays.splice(0)) await relay.close(1000);
  });
  return {
    async start(storage = { store: new MemoryDocStore() }, overrides = {}) {
      const relay = await startTestRelay(storage, overrides);
      relays.push(relay);
      return relay;
    },
    connect(relay, docName, options = {}) {
      const client = connectYjsClient(wsUrl(relay), docName, options);
      clients.push(client);
      return client;
    },
  };
}

/**
 * GET `path` on `relay` with exactly these headers (fetch would not let a test set Host),
 * and its JSON answer.
 */
export function getJson(
  relay: Relay,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port: relay.port, path, headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          body: JSON.parse(text) as Record<string, unknown>,
        });
      });
    });
    request.on('error', reject);
  });
}
