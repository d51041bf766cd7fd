/**
 * A real PostgreSQL server for tests: `initdb` into a fresh temporary directory, the server on
 * a free loopback port, and the means to hurt it the ways production does — a fast shutdown,
 * SIGKILL of every server process (a crash), SIGSTOP/SIGCONT of every server process (a stall:
 * connections stay open, nothing answers) — and to start it again on the same data.
 *
 *   const pg = await startPostgres();
 *   const url = await pg.createDatabase('contract_1');   // postgres://postgres@127.0.0.1:…/contract_1
 *   await pg.kill(); await pg.restart();                   // crash recovery from the WAL
 *   await pg.remove();                                     // stops it and deletes the directory
 *
 * As root (CI), the server runs as the `postgres` user through `runuser`, since PostgreSQL
 * refuses to run as root; the temporary directory is handed to that user. No Unix socket is
 * made (so nothing is written to /var/run), authentication is `trust` on loopback only, and
 * `fsync` is on unless a test asks otherwise, so tests of durability test real durability.
 * Only `initdb` skips its fsync: it makes a brand-new cluster that only a power loss could hurt.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedServer } from './managed-server';
import { spawnServer, type Exit, type ServerChild } from './server-process';

export interface PostgresOptions {
  /** fsync WAL and data before a COMMIT returns (PostgreSQL's `fsync`). Default: true. */
  readonly fsync?: boolean;
  /** More server settings, passed as `-c name=value`. */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface PostgresProcess {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the superuser on the default database. */
  readonly url: string;
  readonly port: number;
  /** The cluster's data directory (PGDATA). */
  readonly dataDir: string;
  /** The URL of `database` on this server. */
  urlFor(database: string): string;
  /** Creates an empty database and returns its URL. Names: lowercase letters, digits, `_`. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL with psql (unaligned, tuples only) and returns what it printed. */
  psql(sql: string, database?: string): Promise<string>;
  /** The postmaster's pid (the process that forks every backend). */
  postmasterPid(): number;
  /** The server's recent log. */
  output(): string;
  /**
   * Shuts down and waits: SIGINT (default) is PostgreSQL's fast shutdown (clients are
   * disconnected); SIGTERM waits for every client to leave; SIGQUIT exits without a checkpoint.
   */
  stop(signal?: 'SIGINT' | 'SIGTERM' | 'SIGQUIT'): Promise<Exit>;
  /** SIGKILL to the postmaster and every backend, then waits until all are gone: a crash. */
  kill(): Promise<void>;
  /** SIGSTOP to the postmaster and every backend: sockets stay open and nothing answers. */
  pause(): void;
  /** SIGCONT to everything `pause` stopped. */
  resume(): void;
  /** Starts the server again on the same data directory and port (after stop or kill). */
  restart(): Promise<void>;
  /** Kills the server if it runs and deletes its temporary directory. */
  remove(): Promise<void>;
}

const READY = /database system is ready to accept connections/;
const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Initialises a cluster in a fresh temporary directory and starts it. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresProcess> {
  const bin = postgresBinDir();
  const root = await mkdtemp(join(tmpdir(), 'weft-pg-'));
  try {
    const owner = process.getuid?.() === 0 ? await systemUser('postgres') : null;
    if (owner) await chown(root, owner.uid, owner.gid);
    const dataDir = join(root, 'data');
    await run(asServerUser(owner !== null, join(bin, 'initdb')), [
      ...['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C'],
      ...['--no-sync', '--no-instructions'],
    ]);
    const server = new PostgresServer(bin, root, dataDir, owner !== null, options);
    await server.startOnFreePort();
    return server;
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

class PostgresServer extends ManagedServer implements PostgresProcess {
  constructor(
    private readonly bin: string,
    root: string,
    readonly dataDir: string,
    private readonly asRoot: boolean,
    private readonly options: PostgresOptions,
  ) {
    super('PostgreSQL', root, /could not bind|in use/i);
  }

  get url(): string {
    return this.urlFor('postgres');
  }

  urlFor(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async createDatabase(name: string): Promise<string> {
    if (!DATABASE_NAME.test(name)) throw new Error(`not a test database name: ${name}`);
    await this.psql(`CREATE DATABASE ${name}`);
    return this.urlFor(name);
  }

  psql(sql: string, database = 'postgres'): Promise<string> {
    return run(join(this.bin, 'psql'), [
      ...['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'],
      ...['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database],
      ...['-c', sql],
    ]);
  }

  postmasterPid(): number {
    const pid = this.leader();
    if (pid === null) throw new Error('PostgreSQL is not running');
    return pid;
  }

  stop(signal: 'SIGINT' | 'SIGTERM' | 'SIGQUIT' = 'SIGINT'): Promise<Exit> {
    return this.stopWith(signal);
  }

  async restart(): Promise<void> {
    this.assertStopped();
    await this.start();
  }

  protected spawn(): Promise<ServerChild> {
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      port: String(this.port),
      unix_socket_directories: '',
      fsync: this.options.fsync === false ? 'off' : 'on',
      ...this.options.settings,
    };
    const args = ['-D', this.dataDir];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const [command, ...prefix] = asServerUser(this.asRoot, join(this.bin, 'postgres'));
    if (command === undefined) throw new Error('no command');
    return spawnServer(command, [...prefix, ...args], { ready: READY, what: 'PostgreSQL' });
  }

  /**
   * The postmaster, from the first line of postmaster.pid; as root the spawned process is
   * runuser, not postgres.
   */
  protected leader(): number | null {
    if (!this.server) return null;
    let pid: number;
    try {
      pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return null;
    }
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  }
}

/** The server binaries: `WEFT_POSTGRES_BIN`, else PostgreSQL 15's, else the newest installed. */
function postgresBinDir(): string {
  const fromEnv = process.env.WEFT_POSTGRES_BIN;
  if (fromEnv) return fromEnv;
  const preferred = '/usr/lib/postgresql/15/bin';
  if (existsSync(join(preferred, 'postgres'))) return preferred;
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => existsSync(join('/usr/lib/postgresql', version, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const [newest] = versions;
  if (newest === undefined) {
    throw new Error(
      "PostgreSQL is not installed: install Debian's postgresql package (npm test does), " +
        'or set WEFT_POSTGRES_BIN to the directory holding initdb and postgres',
    );
  }
  return join('/usr/lib/postgresql', newest, 'bin');
}

function asServerUser(asRoot: boolean, binary: string): string[] {
  return asRoot ? ['runuser', '-u', 'postgres', '--', binary] : [binary];
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** Runs a command to completion; rejects with its output when it fails. */
function run(command: string | string[], args: readonly string[]): Promise<string> {
  const [file, ...prefix] = typeof command === 'string' ? [command] : command;
  if (file === undefined) return Promise.reject(new Error('no command'));
  return new Promise((resolve, reject) => {
    execFile(file, [...prefix, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        reject(
          new Error(`${[file, ...prefix, ...args].join(' ')} failed: ${stderr || error.message}`),
        );
      } else {
        resolve(stdout);
      }
    });
  });
}
