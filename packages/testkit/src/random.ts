/**
 * Seeded randomness for reproducible randomised tests. Every test that uses it prints its
 * seed on failure; `WEFT_SEED=<n>` replays a run.
 */

/** A small, fast PRNG (mulberry32) with helpers. Same seed, same sequence, everywhere. */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(probability = 0.5): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('cannot pick from an empty list');
    return item;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  /** Text of `length` code points mixing ASCII, accents, CJK and emoji (multi-unit UTF-16). */
  text(length: number): string {
    const alphabets = ['abcdefghij klmnop', 'éüßñ', '漢字かな', '😀🎉👩‍💻🚀'];
    let out = '';
    // Code points on purpose: splitting 👩‍💻 into its parts makes valid but unusual text.
    for (let i = 0; i < length; i++) out += this.pick(Array.from(this.pick(alphabets)));
    return out;
  }
}

/** The seed from `WEFT_SEED`, or a fresh one. */
export function seedFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const fromEnv = env.WEFT_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`WEFT_SEED must be an integer, got "${fromEnv}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}
