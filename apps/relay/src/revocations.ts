/**
 * Tokens refused before they expire: one token by its `jti`, or every token of a user (`sub`)
 * issued before a time (a token without `iat` then counts as issued before it). Kept in a JSON
 * file (written whole to a temporary file, then renamed), so revocations survive a restart and
 * every relay reading the same file honours them; the file is re-read when it changes, and
 * listeners are told of every revocation, so a relay can close the connections it holds.
 *
 *   const revocations = Revocations.open('/var/lib/weft/revocations.json', log);
 *   revocations.onRevoked(() => closeRevokedConnections());
 *   await revocations.revokeToken('5f0c…');
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { Principal, RevocationCheck } from './auth';

/** The file's shape; seconds since the epoch throughout. */
export interface RevocationList {
  /** Revoked token ids, each with when it was revoked. */
  readonly tokens: Readonly<Record<string, number>>;
  /** Per user: tokens issued before this time are revoked. */
  readonly subjects: Readonly<Record<string, number>>;
}

/** How often the file is checked for revocations another relay wrote. */
export const REVOCATIONS_POLL_MS = 1000;

export class Revocations implements RevocationCheck {
  private tokens = new Map<string, number>();
  private subjects = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private seenModified = 0;
  private poller: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    /** Null: kept in memory only (an embedder that wants no file). */
    private readonly file: string | null,
    private readonly log: Logger,
  ) {}

  /**
   * Reads `file` (a missing file is an empty list) and watches it. Throws an Error naming the
   * file when it exists but is not a revocation list.
   */
  static open(file: string | null, log: Logger, pollMs = REVOCATIONS_POLL_MS): Revocations {
    const revocations = new Revocations(file, log);
    if (file !== null) {
      revocations.reload(true);
      revocations.poller = setInterval(() => revocations.reload(false), pollMs);
      revocations.poller.unref();
    }
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

  /** Called after every revocation, made here or read from the file. */
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

  /** Revokes the token whose `jti` is `tokenId`; resolves once the file holds it. */
  revokeToken(tokenId: string): Promise<void> {
    this.tokens.set(tokenId, nowSeconds());
    return this.changed();
  }

  /** Revokes every token of `userId` issued before `before` (seconds since the epoch). */
  revokeSubject(userId: string, before: number): Promise<void> {
    this.subjects.set(userId, Math.max(before, this.subjects.get(userId) ?? 0));
    return this.changed();
  }

  close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    return this.writing;
  }

  private changed(): Promise<void> {
    this.notify();
    if (this.file === null) return Promise.resolve();
    const file = this.file;
    // One write at a time, each of the whole list as it is then: the last one wins.
    this.writing = this.writing.then(async () => {
      // Another relay's revocations written since the last read are kept, not overwritten.
      this.reload(false);
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(this.list(), null, 2)}\n`);
      await rename(temporary, file);
      this.seenModified = statSync(file).mtimeMs;
    });
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

  /** Merges the file into memory when it changed; `strict` throws on a bad file (at start). */
  private reload(strict: boolean): void {
    if (this.file === null) return;
    let modified: number;
    try {
      modified = statSync(this.file).mtimeMs;
    } catch {
      return; // No file yet: nothing revoked elsewhere.
    }
    if (modified === this.seenModified) return;
    let parsed: RevocationList;
    try {
      parsed = parseRevocationList(readFileSync(this.file, 'utf8'));
    } catch (error) {
      const message = `${this.file} is not a revocation list: ${error instanceof Error ? error.message : String(error)}`;
      if (strict) throw new Error(message, { cause: error });
      this.log.error({ file: this.file }, message);
      return;
    }
    this.seenModified = modified;
    let added = false;
    for (const [id, at] of Object.entries(parsed.tokens)) {
      if (!this.tokens.has(id)) added = true;
      this.tokens.set(id, at);
    }
    for (const [sub, before] of Object.entries(parsed.subjects)) {
      if ((this.subjects.get(sub) ?? -1) < before) added = true;
      this.subjects.set(sub, Math.max(before, this.subjects.get(sub) ?? 0));
    }
    if (added && !strict) this.notify();
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
