/**
 * The access tokens this browser was given (through share links or pasted), one per document
 * pattern, and which one to use for a document.
 *
 * Where they are kept is the caller's choice of `storage` (the web app passes localStorage
 * and explains why). The stored form is a JSON list of `{ token, addedAt }`; claims are
 * decoded again on every load, never trusted from storage.
 *
 * Choosing a token for a document: among the tokens whose pattern grants it, an unexpired one
 * wins over an expired one, then the most recently added wins — the last link a person opened
 * (or pasted) for a document is the one they mean, whether it is for that document alone or
 * for a prefix. An expired token is still returned when nothing better exists, so the app can
 * say "your link expired" rather than "you need a link".
 */
import {
  decodeAccessToken,
  docPatternMatches,
  isExpired,
  type AccessClaims,
} from './access-token.js';

export interface StoredToken {
  readonly token: string;
  readonly claims: AccessClaims;
  /** Epoch ms when this browser got the token. */
  readonly addedAt: number;
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

export interface AccessTokenStoreOptions {
  /** Default `weft:access-tokens`. */
  readonly key?: string;
  /** Epoch ms; injected by tests. */
  readonly now?: () => number;
}

/** Tokens that expired this long ago are forgotten (ms). */
const FORGET_AFTER_MS = 30 * 24 * 60 * 60 * 1000;
/** At most this many patterns are remembered; the oldest go first. */
const LIMIT = 100;

export class AccessTokenStore {
  private readonly key: string;
  private readonly now: () => number;
  private tokens: readonly StoredToken[];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: KeyValueStorage,
    options: AccessTokenStoreOptions = {},
  ) {
    this.key = options.key ?? 'weft:access-tokens';
    this.now = options.now ?? Date.now;
    this.tokens = this.load();
  }

  /** The storage key, so a `storage` event from another tab can be recognised. */
  get storageKey(): string {
    return this.key;
  }

  /** Every remembered token, newest first; the same array until something changes. */
  readonly getSnapshot = (): readonly StoredToken[] => this.tokens;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Remembers `token`, replacing any earlier token for the same document pattern. Returns
   * what was stored, or null (and stores nothing) when `token` is not a Weft access token.
   */
  add(token: string): StoredToken | null {
    const claims = decodeAccessToken(token);
    if (claims === null) return null;
    const entry: StoredToken = { token, claims, addedAt: this.now() };
    this.replace([entry, ...this.tokens.filter((item) => item.claims.doc !== claims.doc)]);
    return entry;
  }

  /** Forgets `token` (if it is remembered). */
  remove(token: string): void {
    if (!this.tokens.some((item) => item.token === token)) return;
    this.replace(this.tokens.filter((item) => item.token !== token));
  }

  /** The token to use for `docName` (see the header comment), or null when none grants it. */
  forDoc(docName: string): StoredToken | null {
    const now = this.now();
    const matching = this.tokens.filter((item) => docPatternMatches(item.claims.doc, docName));
    return matching.find((item) => !isExpired(item.claims, now)) ?? matching[0] ?? null;
  }

  /** Every unexpired token, newest first (for the document list, which asks with each). */
  valid(): StoredToken[] {
    const now = this.now();
    return this.tokens.filter((item) => !isExpired(item.claims, now));
  }

  /** Reads the storage again (another tab changed it); tells listeners if anything changed. */
  reload(): void {
    const next = this.load();
    const same =
      next.length === this.tokens.length &&
      next.every((item, i) => item.token === this.tokens[i]?.token);
    if (same) return;
    this.tokens = next;
    this.notify();
  }

  private load(): StoredToken[] {
    let raw: string | null = null;
    try {
      raw = this.storage.getItem(this.key);
    } catch {
      return [];
    }
    let value: unknown;
    try {
      value = JSON.parse(raw ?? '[]');
    } catch {
      return [];
    }
    if (!Array.isArray(value)) return [];
    const entries: StoredToken[] = [];
    for (const item of value as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const { token, addedAt } = item as Record<string, unknown>;
      if (typeof token !== 'string' || typeof addedAt !== 'number') continue;
      const claims = decodeAccessToken(token);
      if (claims === null) continue;
      entries.push({ token, claims, addedAt });
    }
    return this.tidy(entries);
  }

  /** Newest first, one per pattern, without long-expired tokens, at most LIMIT. */
  private tidy(entries: readonly StoredToken[]): StoredToken[] {
    const forgetBefore = this.now() - FORGET_AFTER_MS;
    const seen = new Set<string>();
    return [...entries]
      .sort((a, b) => b.addedAt - a.addedAt)
      .filter((item) => {
        if (seen.has(item.claims.doc) || item.claims.exp * 1000 < forgetBefore) return false;
        seen.add(item.claims.doc);
        return true;
      })
      .slice(0, LIMIT);
  }

  private replace(entries: readonly StoredToken[]): void {
    this.tokens = this.tidy(entries);
    try {
      this.storage.setItem(
        this.key,
        JSON.stringify(this.tokens.map(({ token, addedAt }) => ({ token, addedAt }))),
      );
    } catch {
      // Full or disabled storage: the token still works in this tab.
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
