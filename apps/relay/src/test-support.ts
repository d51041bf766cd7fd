/**
 * Helpers for the relay's integration tests: a relay on a free port and a temp directory,
 * and official y-websocket clients running in Node through `ws`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelDocStore, type DocStore } from '@weft/storage';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { silentLogger } from './logger';
import { startRelay, type Relay, type RelayOptions } from './relay';

export const testRelayOptions: RelayOptions = {
  port: 0,
  host: '127.0.0.1',
  webDist: null,
  idleUnloadMs: 50,
  compactUpdates: 1000,
  compactBytes: 4 * 1024 * 1024,
  maxFrameBytes: 8 * 1024 * 1024,
  heartbeatMs: 30_000,
};

export async function tempDataDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-relay-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A relay on LevelDB in `dataDir` (or on the given store), on a free loopback port. */
export async function startTestRelay(
  storage: { dataDir: string } | { store: DocStore },
  overrides: Partial<RelayOptions> = {},
): Promise<Relay> {
  const store =
    'store' in storage ? storage.store : await LevelDocStore.open({ directory: storage.dataDir });
  return startRelay({ ...testRelayOptions, ...overrides }, store, silentLogger());
}

export interface TestClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly text: Y.Text;
  destroy(): void;
}

/** An unmodified y-websocket client for `docName`, connected to the relay. */
export function connectClient(relay: Relay, docName: string): TestClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${relay.port}`, docName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    text: doc.getText('content'),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls `condition` until it holds, failing with `message` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  message: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
