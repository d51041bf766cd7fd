/**
 * Tokens refused before they expire: one token by its `jti`, or every token of a user (`sub`)
 * issued before a time (a token without `iat` then counts as issued before it). Kept by a
 * backend, so revocations survive a restart and every relay sharing it honours them:
 * - a JSON file (written whole to a temporary file, then renamed), re-read when it changes:
 *   relays share it only on shared storage;
 * - PostgreSQL (`Revocations.openPostgres`, when the relay has a database): table
 *   `weft_revocations`, shared by every relay of a cluster.
 * Both are polled each second; listeners are told of every revocation, made here or read
 * from the backend, so a relay can close the connections it holds.
 *
 *   const revocations = Revocations.open('/var/lib/weft/revocations.json', log);
 *   revocations.onRevoked(() => closeRevokedConnections());
 *   await revocations.revokeToken('5f0c…');
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PostgresRevocationLog } from '@weft/storage';
import type { Logger } from 'pino';
import type { Principal, RevocationCheck } from './auth';

/** The file's shape; seconds since the epoch throughout. */
export interface RevocationList {
  /** Revoked token ids, each with when it was revoked. */
  readonly tokens: Readonly<Record<string, number>>;
  /** Per user: tokens issued before this time are revoked. */
  readonly subjects: Readonly<Record<string, number>>;
}

/** How often the backend is checked for revocations another relay wrote. */
export const REVOCATIONS_POLL_MS = 1000;

/** Where revocations are kept, and how those another relay made are found. */
export interface RevocationBackend {
  /** Revocations recorded since the last call (all of them the first time); null: none. */
  changes(): Promise<RevocationList | null>;
  /** Records one revocation; resolves once it is durable. */
  record(kind: 'token' | 'subject', key: string, at: number): Promise<void>;
  close(): Promise<void>;
}

export class Revocations implements RevocationCheck {
  private tokens = new Map<string, number>();
  private subjects = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    /** Null: kept in memory only (an embedder that wants no file). */
    private readonly backend: RevocationBackend | null,
    private readonly log: Logger,
  ) {}

  /**
   * Reads `file` (a missing file is an empty list) and watches it. Throws an Error naming the
   * file when it exists but is not a revocation list.
   */
  static open(file: string | null, log: Logger, pollMs = REVOCATIONS_POLL_MS): Revocations {
    if (file === null) return new Revocations(null, log);
    const backend = new FileRevocationBackend(file, log);
    const revocations = new Revocations(backend, log);
    const initial = backend.read(true);
    if (initial !== null) revocations.merge(initial);
    revocations.startPolling(pollMs);
    return revocations;
  }

  /**
   * The list in the database at `url`, shared by every relay using it. Polled rather than
   * LISTEN/NOTIFY: a notification sent while the listening connection is down (a database
   * restart, a network cut) is lost for good, whereas `WHERE id > last` catches up on its own;
   * and one indexed query a second per relay costs nothing. Throws when the database cannot
   * be reached.
   */
  static async openPostgres(
    url: string,
    log: Logger,
    pollMs = REVOCATIONS_POLL_MS,
  ): Promise<Revocations> {
    const backend = new PostgresRevocationBackend(await PostgresRevocationLog.open(url));
    const revocations = new Revocations(backend, log);
    try {
      const initial = await backend.changes();
      if (initial !== null) revocations.merge(initial);
    } catch (error) {
      await backend.close().catch(() => undefined);
      throw error;
    }
    revocations.startPolling(pollMs);
    return revocations;
  }

  isRevoked(principal: Principal): boolean {
    if (principal.tokenId != null && this.tokens.has(principal.tokenId)) return true;
    const before = this.subjects.get(principal.userId);
    if (before === undefined) return false;
    // Tokens from the authenticate hook (no jti, no iat, never expiring) are not tokens.
    if (principal.tokenId === undefined && principal.issuedAt === undefined) return false;
    // Issued in the very second of the revocation counts as before it: refuse rather than risk.
    return (principal.issuedAt ?? 0) <= before;
  }

  /** Called after every revocation, made here or read from the backend. */
  onRevoked(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): RevocationList {
    return {
      tokens: Object.fromEntries(this.tokens),
      subjects: Object.fromEntries(this.subjects),
    };
  }

  /** Revokes the token whose `jti` is `tokenId`; resolves once the backend holds it. */
  revokeToken(tokenId: string): Promise<void> {
    const at = nowSeconds();
    this.tokens.set(tokenId, at);
    return this.changed('token', tokenId, at);
  }

  /** Revokes every token of `userId` issued before `before` (seconds since the epoch). */
  revokeSubject(userId: string, before: number): Promise<void> {
    this.subjects.set(userId, Math.max(before, this.subjects.get(userId) ?? 0));
    return this.changed('subject', userId, before);
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    await this.writing;
    await this.backend?.close();
  }

  private startPolling(pollMs: number): void {
    this.poller = setInterval(() => void this.poll(), pollMs);
    this.poller.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.backend === null) return; // A slow database: skip, not pile up.
    this.polling = true;
    try {
      const changes = await this.backend.changes();
      if (changes !== null && this.merge(changes)) this.notify();
    } catch (error) {
      this.log.error({ err: error }, 'cannot read revocations made by other relays');
    } finally {
      this.polling = false;
    }
  }

  private changed(kind: 'token' | 'subject', key: string, at: number): Promise<void> {
    this.notify();
    const backend = this.backend;
    if (backend === null) return Promise.resolve();
    // One write at a time, in the order they were made.
    this.writing = this.writing.then(() => backend.record(kind, key, at));
    return this.writing;
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.log.error({ err: error }, 'revocation listener failed');
      }
    }
  }

  /** Adds `list` to memory; true when it held something not known here. */
  private merge(list: RevocationList): boolean {
    let added = false;
    for (const [id, at] of Object.entries(list.tokens)) {
      if (!this.tokens.has(id)) added = true;
      this.tokens.set(id, at);
    }
    for (const [sub, before] of Object.entries(list.subjects)) {
      if ((this.subjects.get(sub) ?? -1) < before) added = true;
      this.subjects.set(sub, Math.max(before, this.subjects.get(sub) ?? 0));
    }
    return added;
  }
}

/** The JSON file: the whole list, rewritten at every revocation. */
class FileRevocationBackend implements RevocationBackend {
  private seenModified = 0;
  private tokens = new Map<string, number>();
  private subjects = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  changes(): Promise<RevocationList | null> {
    return Promise.resolve(this.read(false));
  }

  async record(kind: 'token' | 'subject', key: string, at: number): Promise<void> {
    // Another relay's revocations written since the last read are kept, not overwritten.
    this.read(false);
    if (kind === 'token') this.tokens.set(key, at);
    else this.subjects.set(key, Math.max(at, this.subjects.get(key) ?? 0));
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const list = {
      tokens: Object.fromEntries(this.tokens),
      subjects: Object.fromEntries(this.subjects),
    };
    await writeFile(temporary, `${JSON.stringify(list, null, 2)}\n`);
    await rename(temporary, this.file);
    this.seenModified = statSync(this.file).mtimeMs;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The file's list when it changed since the last read; `strict` throws on a bad file. */
  read(strict: boolean): RevocationList | null {
    let modified: number;
    try {
      modified = statSync(this.file).mtimeMs;
    } catch {
      return null; // No file yet: nothing revoked elsewhere.
    }
    if (modified === this.seenModified) return null;
    let parsed: RevocationList;
    try {
      parsed = parseRevocationList(readFileSync(this.file, 'utf8'));
    } catch (error) {
      const message = `${this.file} is not a revocation list: ${error instanceof Error ? error.message : String(error)}`;
      if (strict) throw new Error(message, { cause: error });
      this.log.error({ file: this.file }, message);
      return null;
    }
    this.seenModified = modified;
    for (const [id, at] of Object.entries(parsed.tokens)) this.tokens.set(id, at);
    for (const [sub, before] of Object.entries(parsed.subjects)) {
      this.subjects.set(sub, Math.max(before, this.subjects.get(sub) ?? 0));
    }
    return parsed;
  }
}

/** Table `weft_revocations`: rows read after the last id seen. */
class PostgresRevocationBackend implements RevocationBackend {
  private lastId = 0;

  constructor(private readonly log: PostgresRevocationLog) {}

  async changes(): Promise<RevocationList | null> {
    const rows = await this.log.since(this.lastId);
    if (rows.length === 0) return null;
    const tokens: Record<string, number> = {};
    const subjects: Record<string, number> = {};
    for (const row of rows) {
      if (row.kind === 'token') tokens[row.key] = row.at;
      else subjects[row.key] = Math.max(row.at, subjects[row.key] ?? 0);
      this.lastId = Math.max(this.lastId, row.id);
    }
    return { tokens, subjects };
  }

  record(kind: 'token' | 'subject', key: string, at: number): Promise<void> {
    return this.log.append(kind, key, at);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

function parseRevocationList(text: string): RevocationList {
  const value: unknown = JSON.parse(text);
  const record = (field: string): Record<string, number> => {
    const entries: unknown = (value as Record<string, unknown> | null)?.[field] ?? {};
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      throw new Error(`"${field}" must be an object`);
    }
    for (const [key, at] of Object.entries(entries)) {
      if (typeof at !== 'number') throw new Error(`"${field}.${key}" must be a number`);
    }
    return entries as Record<string, number>;
  };
  return { tokens: record('tokens'), subjects: record('subjects') };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
