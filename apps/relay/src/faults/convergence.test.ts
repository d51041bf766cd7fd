/**
 * Randomised convergence through the real relay, in the spirit of Yjs's own TestConnector
 * tests: 3–8 clients make random inserts and deletes (with multi-byte characters and emoji)
 * while the network delays frames, cuts connections, and takes clients offline for long
 * stretches. Afterwards every client and the stored document agree on text and state vector,
 * and no client holds pending updates.
 *
 * WEFT_CONVERGENCE_STEPS (default 1500) lengthens the run; WEFT_SEED replays one.
 */
import {
  connectYjsClient,
  FlakyNetwork,
  Random,
  seedFromEnv,
  tempDir,
  waitUntil,
  type TempDir,
  type YjsClient,
} from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Relay } from '../relay';
import { startTestRelay, wsUrl } from '../test-support';

const STEPS = Number(process.env.WEFT_CONVERGENCE_STEPS ?? 1500);
const seed = seedFromEnv();

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A position in `text` that does not split a UTF-16 surrogate pair. */
function safePosition(text: string, position: number): number {
  const code = text.charCodeAt(position - 1);
  return code >= 0xd800 && code <= 0xdbff ? position - 1 : position;
}

function randomEdit(random: Random, text: Y.Text): void {
  const current = text.toString();
  if (current.length > 10 && random.bool(0.35)) {
    const start = safePosition(current, random.int(0, current.length - 1));
    const end = safePosition(current, Math.min(current.length, start + random.int(1, 6)));
    if (end > start) text.delete(start, end - start);
    return;
  }
  text.insert(safePosition(current, random.int(0, current.length)), random.text(random.int(1, 5)));
}

function vectorOf(doc: Y.Doc): string {
  return JSON.stringify(
    [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]),
  );
}

describe(`convergence under network faults (seed ${seed}; replay with WEFT_SEED=${seed})`, () => {
  const clients: YjsClient[] = [];
  let relay: Relay | undefined;
  let data: TempDir | undefined;
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await relay?.close(2000);
    await data?.remove();
  });

  it(`converges after ${STEPS} random steps`, { timeout: 600_000 }, async () => {
    const random = new Random(seed);
    data = await tempDir('weft-converge-');
    relay = await startTestRelay({ dataDir: data.path });
    const network = new FlakyNetwork(random);
    const count = random.int(3, 8);
    for (let i = 0; i < count; i++) {
      clients.push(
        connectYjsClient(wsUrl(relay), 'converge', {
          WebSocket: network.WebSocket,
          maxBackoffTime: 100,
        }),
      );
    }
    /** Steps left until an offline client comes back. */
    const offlineFor = new Map<YjsClient, number>();

    for (let step = 0; step < STEPS; step++) {
      const client = random.pick(clients);
      const roll = random.next();
      if (roll < 0.7) {
        randomEdit(random, client.text);
      } else if (roll < 0.8) {
        network.maxDelayMs = random.pick([0, 0, 5, 20, 80]);
      } else if (roll < 0.85) {
        network.cutAll();
      } else if (roll < 0.9 && !offlineFor.has(client)) {
        client.provider.disconnect();
        offlineFor.set(client, random.int(50, 400));
      }
      for (const [offline, left] of offlineFor) {
        if (left <= 0) {
          offline.provider.connect();
          offlineFor.delete(offline);
        } else {
          offlineFor.set(offline, left - 1);
        }
      }
      if (random.bool(0.3)) await pause(random.int(0, 3));
    }

    network.maxDelayMs = 0;
    for (const offline of offlineFor.keys()) offline.provider.connect();
    const describeReplicas = () =>
      clients.map((c, i) => `#${i} len=${c.text.length} sv=${vectorOf(c.doc)}`).join('\n');
    await waitUntil(
      () =>
        clients.every((c) => c.provider.synced && c.isSaved()) &&
        new Set(clients.map((c) => c.text.toString())).size === 1,
      'every client is synced, saved and equal',
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nreplicas:\n${describeReplicas()}`);
    });

    // A quiet phase on the healed network: no reconnect will resync anything now, so every
    // edit must reach everyone through the relay's broadcast alone.
    for (let i = 0; i < 40; i++) randomEdit(random, random.pick(clients).text);
    await waitUntil(
      () =>
        clients.every((c) => c.isSaved()) &&
        new Set(clients.map((c) => c.text.toString())).size === 1,
      'every client received the quiet-phase edits',
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\nreplicas:\n${describeReplicas()}`);
    });

    const vectors = new Set(clients.map((c) => vectorOf(c.doc)));
    expect(vectors.size, `state vectors differ:\n${describeReplicas()}`).toBe(1);
    for (const [i, c] of clients.entries()) {
      expect(c.doc.store.pendingStructs, `client #${i} has pending structs`).toBeNull();
      expect(c.doc.store.pendingDs, `client #${i} has a pending delete set`).toBeNull();
    }
    const reader = connectYjsClient(wsUrl(relay), 'converge', { savedAcks: false });
    clients.push(reader);
    await waitUntil(() => reader.provider.synced, 'fresh reader synced');
    expect(reader.text.toString()).toBe(clients[0]?.text.toString());
    expect(vectorOf(reader.doc)).toBe([...vectors][0]);
  });
});
