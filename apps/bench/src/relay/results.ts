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
  readonly runs: Partial<Record<ServerName, ServerRun>>;
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
