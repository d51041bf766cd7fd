/**
 * Synthetic but realistic offline editing: a seeded model of someone typing. Mostly single
 * characters at a cursor that moves on as they type, some backspaces, and now and then a jump
 * to another place in the document. Deterministic for a given seed.
 */
import type { Patch } from '../lib/traces';

/** mulberry32: small, fast, good enough to drive a benchmark reproducibly. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = 'etaoin shrdlucmfwypvbgkqjxz,.';

/** `count` single-character edits of a document that starts `initialLength` characters long. */
export function typingSession(seed: number, initialLength: number, count: number): Patch[] {
  const random = prng(seed);
  const patches: Patch[] = [];
  let length = initialLength;
  let cursor = Math.floor(random() * (length + 1));
  for (let i = 0; i < count; i++) {
    if (random() < 0.02) cursor = Math.floor(random() * (length + 1)); // click elsewhere
    if (random() < 0.15 && cursor > 0) {
      cursor--;
      patches.push([cursor, 1, '']); // backspace
      length--;
    } else {
      patches.push([cursor, 0, LETTERS[Math.floor(random() * LETTERS.length)] ?? 'e']);
      cursor++;
      length++;
    }
  }
  return patches;
}
