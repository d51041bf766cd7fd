/**
 * Debian's nginx in front of a relay, for tests that need a real reverse proxy. It runs the
 * shipped deploy/nginx.conf, with only its listen port and upstream address replaced, so a
 * test through it tests what operators install.
 *
 * nginx runs unprivileged-style: every path it writes (pid, logs, temp files) is inside a
 * fresh temp dir, it listens on a free loopback port, and it runs as one process
 * (`master_process off`), so it never switches user — as root it would otherwise hand its
 * workers to `nobody`, who cannot write the temp dir — and one signal to its pid ends it.
 *
 * @example
 *   const nginx = await startNginx({ upstreamPort: relay.port });
 *   await fetch(`${nginx.url}/healthz`);
 *   await nginx.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, type TempDir } from './temp-dir';

/** The shipped config, as operators get it. */
export const DEPLOY_NGINX_CONF = fileURLToPath(
  new URL('../../../deploy/nginx.conf', import.meta.url),
);
/** Cluster mode's config: round robin over two relays (upstream lines 4455 and 4456). */
export const DEPLOY_NGINX_CLUSTER_CONF = fileURLToPath(
  new URL('../../../deploy/nginx-cluster.conf', import.meta.url),
);
const NGINX_BINARY = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

export interface NginxOptions {
  /** Port of the relay nginx forwards to, on 127.0.0.1. */
  readonly upstreamPort: number;
  /**
   * Cluster configs: the ports of the relays after the first, in the order of the
   * upstream's `server 127.0.0.1:4456…` lines (4456, 4457, …).
   */
  readonly moreUpstreamPorts?: readonly number[];
  /** Config to render instead of deploy/nginx.conf (tests of the renderer). */
  readonly siteConfig?: string;
}

export interface NginxProcess {
  /** `http://127.0.0.1:<port>`: the public address, as a browser would open it. */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves once nginx has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** nginx's error log so far (startup problems, refused upstreams). */
  errorLog(): Promise<string>;
  /** Fast shutdown (SIGTERM); waits for exit and removes the temp dir. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash; waits for exit and removes the temp dir. */
  kill(): Promise<void>;
}

/**
 * The shipped site config with `listen 80;` moved to `127.0.0.1:<listenPort>` and the
 * upstream `server 127.0.0.1:4455;` pointed at `upstreamPort`. Throws when either line is
 * missing, so a change to deploy/nginx.conf cannot silently stop being what is tested.
 */
export function renderSiteConfig(
  site: string,
  ports: { listenPort: number; upstreamPort: number; moreUpstreamPorts?: readonly number[] },
): string {
  const replaceOnce = (pattern: RegExp, replacement: string, what: string): void => {
    const matches = site.match(new RegExp(pattern.source, 'gm'));
    if (matches?.length !== 1) {
      throw new Error(
        `deploy/nginx.conf must have exactly one ${what} (found ${matches?.length ?? 0})`,
      );
    }
    site = site.replace(new RegExp(pattern.source, 'm'), replacement);
  };
  replaceOnce(/^(\s*)listen 80;/, `$1listen 127.0.0.1:${ports.listenPort};`, '`listen 80;` line');
  replaceOnce(
    /^(\s*)server 127\.0\.0\.1:4455\b/,
    `$1server 127.0.0.1:${ports.upstreamPort}`,
    '`server 127.0.0.1:4455;` upstream line',
  );
  (ports.moreUpstreamPorts ?? []).forEach((port, i) => {
    const placeholder = 4456 + i;
    replaceOnce(
      new RegExp(`^(\\s*)server 127\\.0\\.0\\.1:${placeholder}\\b`),
      `$1server 127.0.0.1:${port}`,
      `\`server 127.0.0.1:${placeholder}\` upstream line`,
    );
  });
  return site;
}

/** The main config around the site: everything nginx writes stays inside `dir`. */
function mainConfig(dir: string): string {
  return `# Written by @weft/testkit for one test run.
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 256; }
http {
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${dir}/weft.conf;
}
`;
}

/** Starts nginx in front of `127.0.0.1:<upstreamPort>`; rejects with its error log on failure. */
export async function startNginx(options: NginxOptions): Promise<NginxProcess> {
  if (!existsSync(NGINX_BINARY)) {
    throw new Error(
      `no nginx at ${NGINX_BINARY}: install Debian's nginx package (npm test does) or set NGINX_PATH`,
    );
  }
  const site = options.siteConfig ?? (await readFile(DEPLOY_NGINX_CONF, 'utf8'));
  // A free port can be taken by someone else between asking and listening: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = await tempDir('weft-nginx-');
    try {
      return await startIn(dir, site, options, await freePort());
    } catch (error) {
      lastError = error;
      await dir.remove();
      if (!(error instanceof Error && /Address already in use/.test(error.message))) break;
    }
  }
  throw lastError;
}

async function startIn(
  dir: TempDir,
  site: string,
  options: NginxOptions,
  port: number,
): Promise<NginxProcess> {
  await writeFile(
    join(dir.path, 'weft.conf'),
    renderSiteConfig(site, {
      listenPort: port,
      upstreamPort: options.upstreamPort,
      ...(options.moreUpstreamPorts ? { moreUpstreamPorts: options.moreUpstreamPorts } : {}),
    }),
  );
  await writeFile(join(dir.path, 'nginx.conf'), mainConfig(dir.path));
  const errorLogPath = join(dir.path, 'error.log');
  const errorLog = () => readFile(errorLogPath, 'utf8').catch(() => '');
  // -e: the error log before the config is read (else /var/log/nginx, unwritable or shared).
  const child = spawn(
    NGINX_BINARY,
    ['-p', dir.path, '-e', errorLogPath, '-c', join(dir.path, 'nginx.conf'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (running()) child.kill(signal);
    await exited;
    await dir.remove();
  };

  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (!running() || Date.now() > deadline) {
      const why = running() ? 'timed out' : 'it exited';
      const log = await errorLog();
      await end('SIGKILL');
      throw new Error(`nginx did not start on port ${port} (${why}):\n${output}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    exited,
    errorLog,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

function freePort(): Promise<number> {
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

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
