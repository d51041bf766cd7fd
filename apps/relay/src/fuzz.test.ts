/**
 * Seeded fuzzing: hostile connections send at least 100,000 frames (WEFT_FUZZ_FRAMES for
 * more) while honest clients edit the same document. The relay must stay up, close the
 * offenders, and store exactly what the honest clients wrote. Replay a run with WEFT_SEED.
 */
import { MemoryDocStore } from '@weft/storage';
import {
  connectYjsClient,
  hostileFrames,
  HOSTILE_KINDS,
  openRawSocket,
  Random,
  seedFromEnv,
  waitUntil,
  type HostileKind,
  type YjsClient,
} from '@weft/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { secretKey, signToken, type Role } from './auth';
import type { Relay } from './relay';
import { startTestRelay, wsUrl } from './test-support';

const FRAMES = Number(process.env.WEFT_FUZZ_FRAMES ?? 100_000);
const seed = seedFromEnv();
const key = secretKey('fuzz-secret-that-is-long-enough-for-hs256');

/** A random position between whole tokens, so no insert splits another token. */
function tokenBoundary(random: Random, text: string): number {
  const boundaries = [0];
  for (let i = text.indexOf('>'); i !== -1; i = text.indexOf('>', i + 1)) boundaries.push(i + 1);
  return random.pick(boundaries);
}

async function processedFrames(relay: Relay): Promise<number> {
  return (await relay.metrics.messagesIn.get()).values[0]?.value ?? 0;
}

/** One hostile connection after another, each sending frames until the relay closes it. */
async function hostileWorker(
  relay: Relay,
  role: Role,
  random: Random,
  kinds: readonly HostileKind[],
  done: () => boolean,
): Promise<{ connections: number }> {
  const frames = hostileFrames(random);
  const token = await signToken(
    { userId: `hostile-${role}`, doc: 'fuzzed', role, ttlSeconds: 3600 },
    key,
  );
  let connections = 0;
  while (!done()) {
    const raw = await openRawSocket(`${wsUrl(relay)}/fuzzed?token=${token}`);
    connections++;
    const open = () => raw.socket.readyState === raw.socket.OPEN;
    while (open() && !done()) {
      for (let i = 0; i < 25 && open(); i++) raw.send(frames(random.pick(kinds)));
      // Let the relay (same process) read what was sent before sending more.
      await new Promise((resolve) => setImmediate(resolve));
    }
    raw.socket.terminate();
  }
  return { connections };
}

describe(`fuzzing the relay (seed ${seed}; replay with WEFT_SEED=${seed})`, () => {
  const clients: YjsClient[] = [];
  let relay: Relay | undefined;
  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await relay?.close(1000);
  });

  it(
    `survives ${FRAMES} hostile frames while honest clients edit`,
    { timeout: 300_000 },
    async () => {
      const random = new Random(seed);
      const store = new MemoryDocStore();
      relay = await startTestRelay({ store }, { authKey: key });
      const target = relay;
      const writeToken = await signToken(
        { userId: 'honest', doc: 'fuzzed', role: 'write', ttlSeconds: 3600 },
        key,
      );
      for (let i = 0; i < 3; i++) {
        clients.push(connectYjsClient(wsUrl(target), 'fuzzed', { params: { token: writeToken } }));
      }
      await waitUntil(() => clients.every((c) => c.provider.synced), 'honest clients synced');

      const written: string[] = [];
      const editor = setInterval(() => {
        const client = random.pick(clients);
        const token = `<${written.length}:${random.text(3)}>`;
        client.text.insert(tokenBoundary(random, client.text.toString()), token);
        written.push(token);
      }, 5);

      const heapBefore = process.memoryUsage().heapUsed;
      const honestFrames = await processedFrames(target);
      let hostileCount = 0;
      const done = () => hostileCount >= FRAMES;
      const counter = setInterval(() => {
        void processedFrames(target).then(
          (n) => (hostileCount = n - honestFrames - written.length * 2),
        );
      }, 20);
      // Readers may send anything, including mutated valid updates (never applied for them).
      // Writers send everything but mutated valid updates, which would be legitimate edits.
      const writerKinds = HOSTILE_KINDS.filter((kind) => kind !== 'mutated-valid');
      const results = await Promise.all([
        hostileWorker(target, 'read', new Random(seed + 1), HOSTILE_KINDS, done),
        hostileWorker(target, 'read', new Random(seed + 2), ['mutated-valid'], done),
        hostileWorker(target, 'write', new Random(seed + 3), writerKinds, done),
        hostileWorker(target, 'write', new Random(seed + 4), writerKinds, done),
      ]);
      clearInterval(editor);
      clearInterval(counter);

      const connections = results.reduce((sum, r) => sum + r.connections, 0);
      expect(connections, 'offending connections were closed and reopened').toBeGreaterThan(10);
      expect((await fetch(`http://127.0.0.1:${target.port}/healthz`)).status).toBe(200);

      await waitUntil(() => clients.every((c) => c.isSaved()), 'honest edits saved', 30_000);
      await waitUntil(
        () => clients.every((c) => c.text.toString() === clients[0]?.text.toString()),
        'honest clients converged',
      );
      const text = clients[0]?.text.toString() ?? '';
      const lost = written.filter((token) => !text.includes(token));
      expect(lost, 'honest edits lost').toEqual([]);

      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await store.load('fuzzed')) ?? new Uint8Array());
      expect(stored.getText('content').toString()).toBe(text);

      const heapGrowthMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
      expect(heapGrowthMiB, 'heap growth (MiB) stays bounded').toBeLessThan(256);
    },
  );
});
