/**
 * Reconnect delays: exponential backoff with full jitter.
 *
 * After a relay restart every client reconnects at once; plain exponential backoff keeps
 * them in lock-step (all retry at 0.5 s, 1 s, 2 s…), so the relay is hit by the whole crowd
 * at each step. Full jitter spreads each step uniformly over `[0, ceiling)`, which the AWS
 * Architecture Blog ("Exponential Backoff And Jitter") found to finish with the least total
 * work. y-websocket's built-in backoff has no jitter, which is why Weft schedules reconnects
 * itself (see `RelayConnection`).
 *
 * @example
 *   fullJitterDelay(3, DEFAULT_BACKOFF, Math.random); // somewhere in [0, 4000) ms
 */

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay, in ms. */
  readonly baseMs: number;
  /** The ceiling never grows past this, in ms, however many attempts failed. */
  readonly maxMs: number;
}

/** 0.5 s, 1 s, 2 s, … capped at 15 s: quick after a blip, gentle on a relay that is down. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 15_000 };

/**
 * The upper bound of the delay before retry number `attempt` (0 for the first retry after a
 * failure): `min(maxMs, baseMs · 2^attempt)`.
 */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isFinite(attempt) || attempt < 0) return policy.baseMs;
  // 2^attempt overflows to Infinity for huge attempts, and Math.min handles that.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.floor(attempt));
}

/**
 * The delay before retry number `attempt`: uniform in `[0, backoffCeiling(attempt))`.
 *
 * @param random returns a number in `[0, 1)`, like `Math.random` (injectable for tests).
 */
export function fullJitterDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const r = random();
  // A broken random source must not produce a negative or runaway delay.
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * backoffCeiling(attempt, policy));
}
