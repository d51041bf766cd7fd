/**
 * Who wrote what: which user each Yjs client id of one document belongs to.
 *
 * - Secured mode: a client id belongs to the token (`sub`, `name`) whose connection first
 *   introduced content under it. An update that introduces content under a client id that
 *   belongs to another user is refused (`admit` says no; the connection closes it with 1008),
 *   so nobody can write text that shows as someone else's. The same user may reconnect, or
 *   open a second connection, with the same client id.
 * - Local mode: everyone may write everything, and users are who they say they are: a client
 *   id belongs to the name and colour its awareness state shows (y-websocket's awareness id
 *   is the document's client id).
 *
 * The table lives in the store (`saveAuthors`), not in the document: anything in the Y.Doc
 * can be written by any client with write access, so a map there could be forged, and it
 * would reach every client and every offline copy. The store is written only by the relay, so
 * the table survives a restart, and the secured check holds across restarts too.
 */
import type { Author, DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { LOCAL_PRINCIPAL } from '../admission';
import type { Principal } from '../auth';

/** The author a token speaks for. */
export function authorOfPrincipal(principal: Principal): Author {
  return { id: principal.userId, name: principal.name ?? principal.userId };
}

/** True for local mode's everyone-principal (and members that name none, as in unit tests). */
export function isLocalPrincipal(principal: Principal | undefined): boolean {
  return principal === undefined || principal === LOCAL_PRINCIPAL;
}

/** A local-mode identity as awareness shows it (`{ user: { name, color } }`), or null. */
export function authorOfAwarenessState(state: unknown): Author | null {
  if (typeof state !== 'object' || state === null) return null;
  const user = (state as { user?: unknown }).user;
  if (typeof user !== 'object' || user === null) return null;
  const { name, color } = user as { name?: unknown; color?: unknown };
  if (typeof name !== 'string' || name.trim() === '' || name.length > 64) return null;
  const validColor = typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color);
  return { id: `local:${name}`, name, ...(validColor ? { color } : {}) };
}

export class Authorship {
  private readonly table: Map<number, Author>;
  private unsaved = new Map<number, Author>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly docName: string,
    private readonly store: DocStore,
    stored: ReadonlyMap<number, Author>,
    private readonly log: Logger,
  ) {
    this.table = new Map(stored);
  }

  /** The whole table: client id → user. */
  get entries(): ReadonlyMap<number, Author> {
    return this.table;
  }

  authorOf(clientId: number): Author | undefined {
    return this.table.get(clientId);
  }

  /**
   * Whether `principal` may apply `update` to `doc`, claiming for it every client id the
   * update introduces content under. Always true in local mode (identities come from
   * awareness there). Call right before applying: the claims are recorded at once.
   */
  admit(update: Uint8Array, doc: Y.Doc, principal: Principal): boolean {
    if (isLocalPrincipal(principal)) return true;
    const introduced = clientsIntroduced(update, doc);
    const author = authorOfPrincipal(principal);
    for (const clientId of introduced) {
      const owner = this.table.get(clientId);
      if (owner !== undefined && owner.id !== author.id) return false;
    }
    for (const clientId of introduced) {
      if (this.table.get(clientId)?.name !== author.name) this.record(clientId, author);
    }
    return true;
  }

  /** Local mode: the client id `clientId` now shows this awareness state. */
  noteAwareness(clientId: number, state: unknown): void {
    const author = authorOfAwarenessState(state);
    if (author === null) return;
    const known = this.table.get(clientId);
    if (known?.id === author.id && known.color === author.color) return;
    this.record(clientId, author);
  }

  /** Resolves once every entry recorded so far has been offered to the store. */
  settled(): Promise<void> {
    return this.saving;
  }

  private record(clientId: number, author: Author): void {
    this.table.set(clientId, author);
    this.unsaved.set(clientId, author);
    this.saving = this.saving.then(() => this.save());
  }

  private async save(): Promise<void> {
    if (this.unsaved.size === 0) return;
    const batch = this.unsaved;
    this.unsaved = new Map();
    try {
      await this.store.saveAuthors(this.docName, batch);
    } catch (error) {
      // Kept for the next save; the live table already has them.
      for (const [clientId, author] of batch) {
        if (!this.unsaved.has(clientId)) this.unsaved.set(clientId, author);
      }
      this.log.error({ err: error, doc: this.docName }, 'saving the authorship table failed');
    }
  }
}

/** The client ids `update` adds content under that `doc` does not have yet. */
export function clientsIntroduced(update: Uint8Array, doc: Y.Doc): number[] {
  const { to } = Y.parseUpdateMeta(update);
  const introduced: number[] = [];
  for (const [clientId, clock] of to) {
    if (clock > Y.getState(doc.store, clientId)) introduced.push(clientId);
  }
  return introduced;
}
