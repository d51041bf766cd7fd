/**
 * The shape of relay.json, and the environment every result file records. Results of one
 * preset and server replace that entry only, so presets can be re-run one at a time; each
 * entry carries its own date.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunSettings, ServerRun } from './load-run';
import type { SaturationRun, SaturationSettings } from './saturation';
import type { ServerName } from './servers';

export interface Environment {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpu: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  readonly versions: Readonly<Record<string, string>>;
}

export interface LoadPreset {
  readonly kind: 'load';
  readonly settings: RunSettings;
  /** One run per server: with --repeat, the run whose p99 is the median of its runs. */
  readonly runs: Partial<Record<ServerName, ServerRun>>;
  /** What every run of each server measured, in run order (one entry without --repeat). */
  readonly repeats?: Partial<Record<ServerName, RepeatSummary>>;
}

/** The repeated runs of one server (servers take turns, so slow spells hit all of them). */
export interface RepeatSummary {
  /** Fan-out p99 per run; null: more than 1 % of edits undelivered. */
  readonly p99Ms: readonly (number | null)[];
  readonly serverCores: readonly number[];
  readonly rssPerConnectionBytes: readonly number[];
}

/** The median of `values`, null counting as infinitely large (undelivered); null if empty. */
export function median(values: readonly (number | null)[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.map((v) => v ?? Infinity).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const value = Number.isInteger(mid)
    ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
    : (sorted[Math.floor(mid)] ?? 0);
  return Number.isFinite(value) ? value : null;
}

/** Summarises repeated runs and picks the one to show: the median p99 (lower middle if even). */
export function summariseRepeats(runs: readonly ServerRun[]): {
  representative: ServerRun;
  summary: RepeatSummary;
} {
  const p99 = (run: ServerRun): number => run.step.fanoutMs.p99 ?? Infinity;
  const ordered = [...runs].sort((a, b) => p99(a) - p99(b));
  const representative = ordered[Math.floor((ordered.length - 1) / 2)];
  if (!representative) throw new Error('no runs to summarise');
  return {
    representative,
    summary: {
      p99Ms: runs.map((run) => run.step.fanoutMs.p99),
      serverCores: runs.map((run) => run.step.serverCores),
      rssPerConnectionBytes: runs.map((run) => run.rssPerConnectionBytes),
    },
  };
}

export interface SaturationPreset {
  readonly kind: 'saturation';
  readonly settings: SaturationSettings;
  readonly runs: Partial<Record<ServerName, SaturationRun>>;
}

export interface RelayResults {
  readonly benchmark: 'relay';
  readonly environment: Environment;
  readonly notes: readonly string[];
  readonly presets: Readonly<Record<string, LoadPreset | SaturationPreset>>;
}

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function versionOf(pkg: string): string {
  try {
    const file = join(benchDir, 'node_modules', pkg, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export function environment(): Environment {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model ?? '?',
    cpus: cpus().length,
    memoryBytes: totalmem(),
    versions: {
      yjs: versionOf('yjs'),
      'y-websocket (server)': versionOf('y-websocket'),
      '@hocuspocus/server': versionOf('@hocuspocus/server'),
      'classic-level': versionOf('classic-level'),
      ws: versionOf('ws'),
      'playwright-core': versionOf('playwright-core'),
    },
  };
}

/** Reads a previous results file, or null when there is none or it does not parse. */
export function readPrevious(file: string): unknown {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** JSON with Infinity/NaN written as null (JSON has neither). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
