/**
 * Which old checkpoints to let go of. By age: every checkpoint of the last `keepAllMs`, then
 * the newest of each hour until `hourlyUntilMs`, then the newest of each day. The latest
 * checkpoint and every named version are always kept, whatever their age: the latest is what
 * "changed since the last checkpoint" compares with, and a name is a user's promise to find it
 * again. Hours and days are UTC buckets, so thinning the same list twice changes nothing.
 */
import type { CheckpointInfo } from '@weft/storage';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface ThinningPolicy {
  /** Keep every checkpoint younger than this. Default 24 hours. */
  readonly keepAllMs: number;
  /** Until this age keep the newest per hour; older, the newest per day. Default 30 days. */
  readonly hourlyUntilMs: number;
}

export const DEFAULT_THINNING: ThinningPolicy = { keepAllMs: DAY_MS, hourlyUntilMs: 30 * DAY_MS };

/** The ids of `checkpoints` (any order) that `policy` lets go of at time `now`. */
export function checkpointsToThin(
  checkpoints: readonly CheckpointInfo[],
  now: number,
  policy: ThinningPolicy = DEFAULT_THINNING,
): string[] {
  const newestFirst = [...checkpoints].sort(
    (a, b) => b.createdAt - a.createdAt || Number(b.id) - Number(a.id),
  );
  const keptBuckets = new Set<string>();
  const doomed: string[] = [];
  newestFirst.forEach((checkpoint, index) => {
    // Named versions stay and stand for nothing else: the hour keeps its own automatic one.
    if (checkpoint.name !== undefined) return;
    const age = now - checkpoint.createdAt;
    if (age < policy.keepAllMs) return;
    const bucket =
      age < policy.hourlyUntilMs
        ? `h${Math.floor(checkpoint.createdAt / HOUR_MS)}`
        : `d${Math.floor(checkpoint.createdAt / DAY_MS)}`;
    // Newest first, so the first one seen in a bucket (the latest of all, at index 0, always
    // being first in its own) is the one that stays.
    if (index > 0 && keptBuckets.has(bucket)) doomed.push(checkpoint.id);
    else keptBuckets.add(bucket);
  });
  return doomed;
}
