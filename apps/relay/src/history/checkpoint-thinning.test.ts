import type { CheckpointInfo } from '@weft/storage';
import { describe, expect, it } from 'vitest';
import { checkpointsToThin, DEFAULT_THINNING } from './checkpoint-thinning';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A fixed "now" at 12:00 UTC, so hour and day buckets are easy to reason about. */
const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

let nextId = 1;
function checkpoint(createdAt: number, name?: string): CheckpointInfo {
  return {
    id: String(nextId++),
    createdAt,
    reason: name === undefined ? 'interval' : 'named',
    ...(name === undefined ? {} : { name }),
    authors: [],
    chars: 0,
    bytes: 0,
  };
}

/** Checkpoints every `step` ms from `from` ago to `to` ago (oldest first, as they were made). */
function every(step: number, from: number, to: number): CheckpointInfo[] {
  const made: CheckpointInfo[] = [];
  for (let age = from; age >= to; age -= step) made.push(checkpoint(NOW - age));
  return made;
}

function kept(all: readonly CheckpointInfo[], now = NOW): CheckpointInfo[] {
  const doomed = new Set(checkpointsToThin(all, now));
  return all.filter((c) => !doomed.has(c.id));
}

describe('checkpoint thinning', () => {
  it('keeps every checkpoint of the last 24 hours', () => {
    const recent = every(10 * MINUTE, DAY - MINUTE, 0);
    expect(checkpointsToThin(recent, NOW)).toEqual([]);
  });

  it('keeps the newest checkpoint of each hour between 24 hours and 30 days old', () => {
    // Every ten minutes from three days ago to two days ago: 25 hour buckets touched.
    const old = every(10 * MINUTE, 3 * DAY, 2 * DAY);
    const left = kept(old);
    const hours = left.map((c) => Math.floor(c.createdAt / HOUR));
    expect(new Set(hours).size).toBe(hours.length);
    expect(left).toHaveLength(25);
    // The one kept in each hour is that hour's newest.
    for (const c of left) {
      const sameHour = old.filter(
        (o) => Math.floor(o.createdAt / HOUR) === Math.floor(c.createdAt / HOUR),
      );
      expect(c.createdAt).toBe(Math.max(...sameHour.map((o) => o.createdAt)));
    }
  });

  it('keeps the newest checkpoint of each day after 30 days', () => {
    const ancient = every(3 * HOUR, 40 * DAY, 31 * DAY);
    const left = kept(ancient);
    const days = left.map((c) => Math.floor(c.createdAt / DAY));
    expect(new Set(days).size).toBe(days.length);
    expect(new Set(ancient.map((c) => Math.floor(c.createdAt / DAY))).size).toBe(left.length);
  });

  it('keeps one checkpoint per UTC day, whatever time of day thinning runs', () => {
    const day = Date.UTC(2026, 3, 1);
    const lateOnTheFirst = checkpoint(day + 23 * HOUR);
    const earlyOnTheSecond = checkpoint(day + DAY + HOUR);
    const lateOnTheSecond = checkpoint(day + DAY + 22 * HOUR);
    const latest = checkpoint(NOW);
    const all = [lateOnTheFirst, earlyOnTheSecond, lateOnTheSecond, latest];
    for (const now of [NOW, NOW + 6 * HOUR, NOW + 13 * HOUR]) {
      expect(kept(all, now)).toEqual([lateOnTheFirst, lateOnTheSecond, latest]);
    }
  });

  it('always keeps the latest checkpoint and every named version, however old', () => {
    const named = checkpoint(NOW - 90 * DAY, 'v1');
    const sameDay = checkpoint(NOW - 90 * DAY + MINUTE);
    const latest = checkpoint(NOW - 60 * DAY);
    const sameDayAsLatest = checkpoint(NOW - 60 * DAY - MINUTE);
    const left = kept([named, sameDay, sameDayAsLatest, latest]);
    expect(left).toContain(named);
    expect(left).toContain(latest);
    expect(left).toContain(sameDay); // the newest unnamed one of its day
    expect(left).not.toContain(sameDayAsLatest);
  });

  it('is stable: thinning what it kept lets go of nothing more', () => {
    const history = [...every(HOUR / 2, 45 * DAY, 0)];
    const once = kept(history);
    expect(checkpointsToThin(once, NOW)).toEqual([]);
    expect(once.length).toBeLessThan(history.length);
  });

  it('follows a configured policy', () => {
    const history = every(MINUTE, 3 * HOUR, 0);
    const policy = { keepAllMs: HOUR, hourlyUntilMs: 2 * HOUR };
    const doomed = new Set(checkpointsToThin(history, NOW, policy));
    const left = history.filter((c) => !doomed.has(c.id));
    expect(left.filter((c) => NOW - c.createdAt < HOUR)).toHaveLength(60);
    expect(left.length).toBeLessThan(70);
    expect(DEFAULT_THINNING.keepAllMs).toBe(DAY);
  });
});
