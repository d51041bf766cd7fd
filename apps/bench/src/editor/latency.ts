/**
 * Turning the pages' timestamps into the numbers the editor benchmark reports: keystroke
 * latencies, their percentiles, and ratios of Weft's page to the bare page.
 */
import { quantile } from '../lib/measure';

export interface LatencySummary {
  /** Keystrokes typed. */
  readonly keystrokes: number;
  /** Keystrokes that never showed up where they were watched for. */
  readonly missing: number;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/**
 * Latency of each keystroke: the i-th character to appear belongs to the i-th keydown (one
 * typist, one character per key, at the end of one line). Times a keystroke could not have
 * caused (an appearance before its keydown) mean the probes disagree: an error, not a sample.
 */
export function pairLatencies(keydowns: readonly number[], shown: readonly number[]): number[] {
  if (shown.length > keydowns.length) {
    throw new Error(`${shown.length} characters appeared for ${keydowns.length} keystrokes`);
  }
  return shown.map((at, i) => {
    const key = keydowns[i] ?? Number.NaN;
    if (!(at >= key)) throw new Error(`character ${i} appeared before its keydown`);
    return at - key;
  });
}

/** p50, p95, p99 and max (nearest rank) of `latencies` out of `keystrokes` typed. */
export function summariseLatencies(
  latencies: readonly number[],
  keystrokes: number,
): LatencySummary {
  const q = (p: number): number | null => (latencies.length === 0 ? null : quantile(latencies, p));
  return {
    keystrokes,
    missing: keystrokes - latencies.length,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    max: q(1),
  };
}

/** `weft / bare`, or null when either is missing or the floor is not positive. */
export function ratio(weft: number | null, bare: number | null): number | null {
  if (weft === null || bare === null || !(bare > 0) || !Number.isFinite(weft)) return null;
  return weft / bare;
}

/** A target: a measured ratio and its limit. `met` is null when it could not be measured. */
export interface TargetCheck {
  readonly name: string;
  readonly ratio: number | null;
  readonly limit: number;
  readonly met: boolean | null;
}

export function checkTarget(name: string, measured: number | null, limit: number): TargetCheck {
  return { name, ratio: measured, limit, met: measured === null ? null : measured <= limit };
}
