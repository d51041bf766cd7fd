/**
 * Convergence over a simulated network: several clients editing at random, per-link FIFO
 * delays, one client offline for a long stretch, others dropping their connection (losing
 * messages) and reconnecting. At the end every client holds the server's document.
 * Seeded: each run draws a fresh seed and simulates it and the five after it; a failure
 * names its seed, and WEFT_SEED=<seed> replays just that one.
 */
import { describe, expect, it } from 'vitest';
import { codePointLength, codePoints } from './unicode';
import type { Component } from './types';
import { SimulatedNetwork } from './testing/network';
import { createRandom, type Random } from './testing/random';
import { seedIsReplayed, testSeed } from './testing/seed';

const WORDS = ['a', 'b', 'c', ' ', 'é', '😀', 'ab', 'xyz', '👻👻'];

/** A random edit of `doc`: an insert, a delete (counted or with its text) or a replacement. */
function randomEdit(random: Random, doc: string): Component[] {
  const chars = codePoints(doc);
  const at = random.int(chars.length + 1);
  const op: Component[] = at > 0 ? [at] : [];
  const room = chars.length - at;
  const kind = random.int(3);
  if (kind !== 0 && room > 0) {
    const n = 1 + random.int(Math.min(room, 5));
    op.push({ d: random.chance(0.5) ? n : chars.slice(at, at + n).join('') });
  }
  if (kind !== 1 || room === 0) op.push(random.pick(WORDS));
  return op;
}

function simulate(seed: number): { revisions: number; caughtUp: number } {
  const random = createRandom(seed);
  const net = new SimulatedNetwork(random, { clients: 5, initial: 'seed 😀 text', maxDelay: 8 });
  const OFFLINE = 0; // paused for a long stretch, editing all the while
  let caughtUp = 0;
  for (let t = 0; t < 1500; t++) {
    if (t === 200) net.pause(OFFLINE);
    if (t === 1000) {
      caughtUp = net.server.revision - (net.clients[OFFLINE]?.revision ?? 0);
      net.resume(OFFLINE);
    }
    if (t === 300) net.drop(1);
    if (t === 500) net.reconnect(1);
    if (t === 700) net.drop(2);
    if (t === 705) net.reconnect(2);
    net.clients.forEach((client, i) => {
      if (random.chance(0.3)) net.edit(i, randomEdit(random, client.document));
    });
    net.tick();
  }
  net.settle();
  for (const client of net.clients) {
    expect(client.document).toBe(net.server.document);
    expect(client.revision).toBe(net.server.revision);
  }
  expect(codePointLength(net.server.document)).toBeGreaterThan(0);
  return { revisions: net.server.revision, caughtUp };
}

const base = testSeed();
const seeds = seedIsReplayed() ? [base] : Array.from({ length: 6 }, (_, i) => base + i);

describe('simulated network', () => {
  for (const seed of seeds)
    it(`all clients converge to the server (seed ${seed}; replay with WEFT_SEED=${seed})`, () => {
      let result: ReturnType<typeof simulate>;
      try {
        result = simulate(seed);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`seed ${seed} failed (replay with WEFT_SEED=${seed}): ${reason}`, {
          cause: error,
        });
      }
      // The scenario really exercised long offline editing against many remote revisions.
      expect(result.caughtUp).toBeGreaterThan(100);
      expect(result.revisions).toBeGreaterThan(300);
    });
});
