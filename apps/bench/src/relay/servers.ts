/**
 * The three servers under test, each started as its own child process on loopback with
 * persistence to LevelDB in a fresh directory:
 *
 * - `weft`: Weft's relay (apps/relay), saved acknowledgements available to every client that
 *   opts in. Started with generous per-address and per-connection limits, since every
 *   benchmark client comes from 127.0.0.1 (see `WEFT_LIMITS`).
 * - `y-websocket`: the reference server of y-websocket@2.1.0 (`bin/server.cjs`) with
 *   `YPERSISTENCE`, i.e. LevelDB through y-leveldb.
 * - `hocuspocus`: @hocuspocus/server 3.4 with its Database extension storing each document's
 *   state in LevelDB (classic-level), default debounce (2 s, at most 10 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../lib/paths';
import { pinnedCommand } from './cpu-pinning';
import type { Dialect } from './dialect';
import { cpuSeconds, memoryStats, syscalls, type MemoryStats } from './proc-stats';

export const SERVER_NAMES = ['weft', 'y-websocket', 'hocuspocus'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

/** Environment that lifts the relay's per-address and per-connection limits for load tests. */
export const WEFT_LIMITS: Readonly<Record<string, string>> = {
  WEFT_MAX_CONNECTIONS_PER_ADDRESS: '1000000',
  WEFT_MESSAGES_PER_SECOND: '1000000',
  WEFT_BYTES_PER_SECOND: '1073741824',
};

export interface ServerOptions {
  readonly dataDir: string;
  /** Write V8 CPU profiles (`--cpu-prof`) under this directory when the server exits. */
  readonly cpuProfDir?: string;
  /** Extra environment for the child. */
  readonly env?: Readonly<Record<string, string>>;
  /** Run Weft's relay from this directory instead of apps/relay (before/after comparisons). */
  readonly relayDir?: string;
  /** Run the server on these CPUs only (taskset list, see cpu-pinning.ts). */
  readonly cpus?: string;
}

/** How the benchmarks that take them were told to start servers. */
export type LaunchSettings = Pick<ServerOptions, 'cpuProfDir' | 'relayDir' | 'cpus'>;

/** Server options for a fresh data directory under the given launch settings. */
export function serverOptions(dataDir: string, launch: LaunchSettings): ServerOptions {
  return {
    dataDir,
    ...(launch.cpuProfDir === undefined ? {} : { cpuProfDir: launch.cpuProfDir }),
    ...(launch.relayDir === undefined ? {} : { relayDir: launch.relayDir }),
    ...(launch.cpus === undefined ? {} : { cpus: launch.cpus }),
  };
}

export interface ServerProcess {
  readonly name: ServerName;
  readonly dialect: Dialect;
  readonly port: number;
  /** `ws://127.0.0.1:<port>` */
  readonly wsUrl: string;
  readonly pid: number;
  cpuSeconds(): number;
  memory(): MemoryStats;
  syscalls(): { writes: number; reads: number };
  /** Everything the process wrote so far. */
  output(): string;
  /** SIGTERM (graceful where the server supports it), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const dialectOf = (name: ServerName): Dialect =>
  name === 'hocuspocus' ? 'hocuspocus' : name === 'weft' ? 'weft' : 'y-websocket';

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function command(
  name: ServerName,
  port: number,
  options: ServerOptions,
): { args: string[]; cwd: string; env: Record<string, string> } {
  // One directory per process: every thread (tsx runs a loader thread) writes its own file.
  const prof = options.cpuProfDir
    ? ['--cpu-prof', '--cpu-prof-dir', join(options.cpuProfDir, `${name}-${Date.now()}`)]
    : [];
  const common = { HOST: '127.0.0.1', PORT: String(port) };
  switch (name) {
    case 'weft':
      return {
        args: [...prof, '--import', 'tsx', 'src/main.ts'],
        cwd: options.relayDir ?? join(repoRoot(), 'apps', 'relay'),
        env: {
          ...common,
          DATA_DIR: options.dataDir,
          WEB_DIST: '',
          LOG_LEVEL: 'warn',
          ...WEFT_LIMITS,
        },
      };
    case 'y-websocket':
      return {
        args: [...prof, join(benchDir, 'node_modules', 'y-websocket', 'bin', 'server.cjs')],
        cwd: benchDir,
        env: { ...common, YPERSISTENCE: options.dataDir },
      };
    case 'hocuspocus':
      return {
        args: [...prof, '--import', 'tsx', join('src', 'relay', 'hocuspocus-main.ts')],
        cwd: benchDir,
        env: { ...common, DATA_DIR: options.dataDir },
      };
  }
}

async function waitListening(
  port: number,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited before listening:\n${output()}`);
    }
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`server did not listen within 30 s:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export async function startServer(
  name: ServerName,
  options: ServerOptions,
): Promise<ServerProcess> {
  const port = await freePort();
  const { args, cwd, env } = command(name, port, options);
  const pinned = pinnedCommand(options.cpus, process.execPath, args);
  const child = spawn(pinned.file, pinned.args, {
    cwd,
    env: { ...process.env, ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const keep = (chunk: Buffer): void => {
    text += chunk.toString();
    if (text.length > 200_000) text = text.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = (): string => text;
  try {
    await waitListening(port, child, output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid ?? 0;
  return {
    name,
    dialect: dialectOf(name),
    port,
    wsUrl: `ws://127.0.0.1:${port}`,
    pid,
    cpuSeconds: () => cpuSeconds(pid),
    memory: () => memoryStats(pid),
    syscalls: () => syscalls(pid),
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
