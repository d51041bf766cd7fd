/**
 * Connection storms: many short-lived connections over many documents must leave the relay
 * exactly as it was — no documents, no timers, and (after GC) a heap within 10% of where it
 * started. WEFT_STORM_CONNECTIONS / WEFT_STORM_DOCS scale it up (the long mode: 100,000
 * connections over 10,000 documents).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryDocStore } from '@weft/storage';
import { openRawSocket, waitUntil } from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Relay } from '../relay';
import { startTestRelay, wsUrl } from '../test-support';

const CONNECTIONS = Number(process.env.WEFT_STORM_CONNECTIONS ?? 10_000);
const DOCS = Number(process.env.WEFT_STORM_DOCS ?? 1_000);
const CONCURRENCY = 200;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function settledHeap(): number {
  for (let i = 0; i < 3; i++) collectGarbage();
  return process.memoryUsage().heapUsed;
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

async function storm(relay: Relay, connections: number, docs: number): Promise<void> {
  const url = wsUrl(relay);
  for (let start = 0; start < connections; start += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, connections - start) }, (_, i) =>
      openRawSocket(`${url}/storm-${(start + i) % docs}`).then(async (raw) => {
        raw.socket.close();
        await raw.closed;
      }),
    );
    await Promise.all(batch);
  }
}

describe('connection storms', () => {
  let relay: Relay | undefined;
  afterEach(async () => {
    await relay?.close(2000);
    relay = undefined;
  });

  it(
    `leaves no documents, timers or heap behind after ${CONNECTIONS} connections over ${DOCS} documents`,
    { timeout: 900_000 },
    async () => {
      relay = await startTestRelay({ store: new MemoryDocStore() }, { idleUnloadMs: 10 });
      const target = relay;
      // Warm up so module loading and JIT are not counted as growth.
      await storm(target, 400, 40);
      await waitUntil(() => target.rooms.size === 0, 'warm-up documents unloaded');
      const timersBefore = timers();
      const heapBefore = settledHeap();

      await storm(target, CONNECTIONS, DOCS);
      await waitUntil(
        () => target.rooms.size === 0 && target.connections.size === 0,
        'every document unloaded',
        60_000,
      );
      await waitUntil(
        () => timers() <= timersBefore,
        `timers back to ${timersBefore} (now ${timers()})`,
      );
      const heapAfter = settledHeap();
      const growth = (heapAfter - heapBefore) / heapBefore;
      expect(growth, `heap grew from ${heapBefore} to ${heapAfter} bytes`).toBeLessThan(0.1);
    },
  );
});
