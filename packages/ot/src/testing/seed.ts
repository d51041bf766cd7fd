/**
 * The seed of a randomised test run. `WEFT_SEED=<n>` replays a run, as it does everywhere in
 * the workspace; `OT_SEED`, this package's older name for it, still works. Without either,
 * every run draws a fresh seed, so the tests keep exploring new cases.
 *
 * `@weft/testkit` has the same reader, but this package depends on nothing in the workspace,
 * its tests included.
 */
export function testSeed(env: Readonly<Record<string, string | undefined>> = process.env): number {
  for (const name of ['WEFT_SEED', 'OT_SEED']) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const seed = Number(value);
    if (!Number.isSafeInteger(seed)) throw new Error(`${name} must be an integer, got "${value}"`);
    return seed;
  }
  return Math.floor(Math.random() * 2 ** 31);
}

/** True when the seed was given (a replay), not drawn. */
export function seedIsReplayed(
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  return Boolean(env.WEFT_SEED || env.OT_SEED);
}

/**
 * A describe title that names the seed, so that every report of a failure (and every run,
 * in the list of tests) says how to replay it.
 */
export function seededTitle(subject: string, seed: number): string {
  return `${subject} (seed ${seed}; replay with WEFT_SEED=${seed})`;
}
