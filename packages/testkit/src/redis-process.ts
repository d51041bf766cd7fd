/**
 * A real Redis server for tests, on a free loopback port with its own temporary directory,
 * which a test can kill (SIGKILL), freeze (SIGSTOP) and start again on the same port — with
 * what it had written to disk, or empty, as a Redis that lost its disk comes back.
 *
 *   const redis = await startRedis({ appendonly: true });
 *   await redis.kill(); await redis.restart({ empty: true });
 *   await redis.remove();
 *
 * RDB snapshots are off (`--save ''`): a test decides whether Redis keeps anything, through
 * `appendonly`. No Unix socket is made.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedServer } from './managed-server';
import { spawnServer, type Exit, type ServerChild } from './server-process';

export interface RedisOptions {
  /** Keep an append-only file in the temporary directory (`--appendonly yes`). Default: false. */
  readonly appendonly?: boolean;
  /** The server binary. Default: `WEFT_REDIS_SERVER`, else /usr/bin/redis-server. */
  readonly binary?: string;
}

export interface RedisProcess {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The server's working directory (`--dir`), where an append-only file goes. */
  readonly dir: string;
  /** The server's recent log. */
  output(): string;
  /** SIGTERM (default: Redis saves what its settings say, then exits) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  /** SIGKILL to the server and any child it forked (a rewrite), then waits until all are gone. */
  kill(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers. */
  pause(): void;
  resume(): void;
  /** Starts again on the same port: with the directory's files, or `empty` with none. */
  restart(options?: { readonly empty?: boolean }): Promise<void>;
  /** Kills the server if it runs and deletes its temporary directory. */
  remove(): Promise<void>;
}

const READY = /Ready to accept connections/;

export async function startRedis(options: RedisOptions = {}): Promise<RedisProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-redis-'));
  const server = new RedisServer(dir, options);
  try {
    await server.startOnFreePort();
    return server;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

class RedisServer extends ManagedServer implements RedisProcess {
  constructor(
    readonly dir: string,
    private readonly options: RedisOptions,
  ) {
    super('Redis', dir, /address already in use/i);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    return this.stopWith(signal);
  }

  async restart(options: { readonly empty?: boolean } = {}): Promise<void> {
    this.assertStopped();
    if (options.empty) {
      const entries = await readdir(this.dir);
      await Promise.all(
        entries.map((entry) => rm(join(this.dir, entry), { recursive: true, force: true })),
      );
    }
    await this.start();
  }

  protected spawn(): Promise<ServerChild> {
    const binary = this.options.binary ?? process.env.WEFT_REDIS_SERVER ?? '/usr/bin/redis-server';
    return spawnServer(
      binary,
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir],
        ...['--save', '', '--appendonly', this.options.appendonly ? 'yes' : 'no'],
        ...['--daemonize', 'no', '--unixsocket', '', '--logfile', ''],
      ],
      { ready: READY, what: `Redis (${binary}; npm test installs Debian's redis-server)` },
    );
  }

  /** Redis forks only for a rewrite or a save; the spawned process is the server. */
  protected leader(): number | null {
    return this.server?.pid ?? null;
  }
}
