/**
 * What the testkit's real PostgreSQL and Redis share: a free loopback port, a server process
 * whose recent output is kept and watched for the line that says it is ready, and the process
 * tree under a pid, so that a test can freeze (SIGSTOP) or kill (SIGKILL) a server together
 * with everything it forked — a server whose children live on is not a dead server.
 *
 *   const port = await freePort();
 *   const server = await spawnServer('redis-server', ['--port', String(port)], {
 *     ready: /Ready to accept connections/, what: 'Redis' });
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServerChild {
  readonly child: ChildProcess;
  /** The pid of the spawned process (for PostgreSQL as root, that of `runuser`). */
  readonly pid: number;
  readonly exited: Promise<Exit>;
  /** The last 64 KiB the process wrote to stdout and stderr. */
  output(): string;
  running(): boolean;
}

export interface SpawnServerOptions {
  /** A line of output that means the server accepts connections. */
  readonly ready: RegExp;
  /** The server's name in errors ("PostgreSQL"). */
  readonly what: string;
  readonly timeoutMs?: number;
}

const OUTPUT_KEPT = 64 * 1024;

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picked it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/**
 * Spawns `command` and resolves once its output matches `ready`. Rejects, with the output,
 * when it exits first or is not ready within the timeout (it is then killed).
 */
export function spawnServer(
  command: string,
  args: readonly string[],
  options: SpawnServerOptions,
): Promise<ServerChild> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > OUTPUT_KEPT) output = output.slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));
  const server: ServerChild = {
    child,
    pid: child.pid ?? -1,
    exited,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      child.kill('SIGKILL');
      reject(new Error(`${options.what} was not ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const watch = (): void => {
      if (!options.ready.test(output)) return;
      finish();
      resolve(server);
    };
    const finish = (): void => {
      clearTimeout(timer);
      child.stdout.off('data', watch);
      child.stderr.off('data', watch);
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    void exited.then(({ code, signal }) => {
      finish();
      reject(
        new Error(
          `${options.what} exited before it was ready (code ${code}, signal ${signal}):\n${output}`,
        ),
      );
    });
    void spawnFailed.then((error) => {
      finish();
      reject(new Error(`cannot start ${options.what} (${command}): ${error.message}`));
    });
  });
}

/** Pids whose parent is `pid`, from /proc (Linux). */
export function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.ppid === pid) children.push(Number(entry));
  }
  return children;
}

/** `pid` and all its descendants, parents before children. */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i];
    if (parent !== undefined) tree.push(...childrenOf(parent));
  }
  return tree;
}

/** True once `pid` has exited (a zombie awaiting its reaper counts as exited). */
export function processGone(pid: number): boolean {
  const stat = readStat(pid);
  return stat === null || stat.state === 'Z' || stat.state === 'X';
}

/** Sends `signal` to each pid that still exists; a pid that vanished meanwhile is skipped. */
export function signalEach(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/** Resolves once every pid has exited; rejects after `timeoutMs`. */
export async function waitGone(pids: readonly number[], what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!pids.every(processGone)) {
    if (Date.now() > deadline) throw new Error(`${what}: processes ${pids.join(' ')} still run`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function readStat(pid: number): { state: string; ppid: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
  const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state, ppid: Number(ppid) };
}

/**
 * Servers still running when the test process exits are killed with their trees, so that a
 * crashed or interrupted test run leaves no PostgreSQL or Redis behind.
 */
const live = new Set<() => number[]>();
process.once('exit', () => {
  for (const pids of live) signalEach(pids(), 'SIGKILL');
});

/** Registers the process tree `pids()` to be killed if this process exits; returns unregister. */
export function killOnExit(pids: () => number[]): () => void {
  live.add(pids);
  return () => live.delete(pids);
}

/**
 * Starts a server on a free port, trying again with another one when some other process took
 * the port between choosing and binding it (the error matches `portTaken`); three tries.
 */
export async function startOnFreePort(
  start: (port: number) => Promise<void>,
  portTaken: RegExp,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await start(await freePort());
      return;
    } catch (error) {
      const taken = error instanceof Error && portTaken.test(error.message);
      if (!taken || attempt === 3) throw error;
    }
  }
}
