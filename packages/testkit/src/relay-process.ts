/**
 * The relay as a separate OS process, so tests can kill it for real (SIGKILL) and restart it
 * on the same data directory and port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const relayDir = fileURLToPath(new URL('../../../apps/relay/', import.meta.url));

export interface RelayProcessOptions {
  readonly dataDir: string;
  /** 0 (default) picks a free port; pass the previous port to restart in place. */
  readonly port?: number;
  /** Extra environment, e.g. `{ WEFT_COMPACT_UPDATES: '5' }`. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Run the compiled relay (`apps/relay/dist/main.js`, from `pnpm build`) rather than its
   * source through tsx. Default: `WEFT_RELAY_COMPILED=1` in the environment, which the e2e
   * suite sets so that it tests what operators run; Vitest runs the source, so that it never
   * waits for a build nor tests a stale one.
   */
  readonly compiled?: boolean;
}

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null if killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startRelayProcess(options: RelayProcessOptions): Promise<RelayProcess> {
  const compiled = options.compiled ?? process.env.WEFT_RELAY_COMPILED === '1';
  if (compiled && !existsSync(join(relayDir, 'dist', 'main.js'))) {
    return Promise.reject(new Error('the compiled relay is not built: run `pnpm build` first'));
  }
  // `node --import tsx` keeps the relay in this one process (the tsx CLI would fork a child,
  // and SIGKILL to the parent would leave the real relay running).
  const args = compiled ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: relayDir,
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      WEB_DIST: '',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
    });
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Weft is running: open http:\/\/[^:]+:(\d+)/.exec(output);
      if (match?.[1] === undefined) return;
      const port = Number(match[1]);
      child.stdout.off('data', onData);
      child.stdout.on('data', (more: Buffer) => (output += more.toString()));
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        child,
        exited,
        output: () => output,
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(({ code, signal }) => {
      reject(
        new Error(`relay exited before listening (code ${code}, signal ${signal}):\n${output}`),
      );
    });
  });
}
