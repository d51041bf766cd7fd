/**
 * When one document's checkpoints are taken, and taking them. A checkpoint is the document's
 * whole state (see `NewCheckpoint`), stored beside its log:
 *
 * - `checkpointIntervalMs` after the previous checkpoint (or the load), while the document is
 *   being edited, if its text or title changed since the previous one; an edit after a quiet
 *   spell arms the timer, so an untouched document costs nothing;
 * - when the last user leaves (`lastUserLeft`, also called as the room unloads), if changed;
 * - on request: a named version, and the states before and after a restore.
 *
 * In cluster mode every relay holding the document runs these timers, so an automatic
 * (interval or idle) checkpoint is skipped when the newest one stored, whichever relay took
 * it, holds the same content, or, for an interval checkpoint, is younger than half an
 * interval (`covers`, decided atomically by the store). Checkpoints asked for are always
 * stored.
 *
 * Every checkpoint covers only durable edits: its state is taken first, then the persister is
 * flushed (everything in that state was queued before the flush began), then it is stored.
 * Checkpoints of one document are stored one at a time, in the order asked for, and after
 * each the old ones are thinned (checkpoint-thinning.ts).
 */
import { createHash } from 'node:crypto';
import type {
  Author,
  CheckpointCovered,
  CheckpointInfo,
  CheckpointReason,
  DocStore,
  NewCheckpoint,
} from '@weft/storage';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Principal } from '../auth';
import { authorOfPrincipal, isLocalPrincipal, type Authorship } from './authorship';
import { checkpointsToThin, DEFAULT_THINNING, type ThinningPolicy } from './checkpoint-thinning';

export interface CheckpointOptions {
  /** Least time between two interval checkpoints of one document. Default 10 minutes. */
  readonly checkpointIntervalMs?: number;
  /** Which old checkpoints to keep. Default: DEFAULT_THINNING. */
  readonly thinning?: ThinningPolicy;
}

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 10 * 60 * 1000;

/** The origin of a change the relay makes for a user (a restore), so it is theirs. */
export class UserChange {
  constructor(readonly author: Author) {}
}

export interface CheckpointDetails {
  readonly name?: string;
  readonly restoredFrom?: string;
  /** Who the checkpoint names; default: everyone who edited since the previous one. */
  readonly authors?: readonly Author[];
}

export interface CheckpointerDeps {
  readonly docName: string;
  readonly doc: Y.Doc;
  /** Resolves once every update queued so far is stored. */
  flush(): Promise<void>;
  readonly store: DocStore;
  readonly authorship: Authorship;
  readonly log: Logger;
}

/** What the text and title of a document are: what "changed" compares. */
interface Content {
  readonly text: string;
  readonly title: string | undefined;
}

export class Checkpointer {
  private readonly intervalMs: number;
  private readonly thinning: ThinningPolicy;
  /** The content of the latest checkpoint (or, before any, of the document as loaded). */
  private last: Content;
  private lastAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  /** Client ids that wrote since the latest checkpoint, resolved to users when it is taken. */
  private editedClients = new Set<number>();
  /** Users known to have edited since the latest checkpoint (tokens, restores). */
  private editors = new Map<string, Author>();
  /** Some edit came since the latest checkpoint's state was taken. */
  private edited = false;
  private chain: Promise<unknown> = Promise.resolve();
  private destroyed = false;

  constructor(
    private readonly deps: CheckpointerDeps,
    options: CheckpointOptions = {},
  ) {
    this.intervalMs = options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
    this.thinning = options.thinning ?? DEFAULT_THINNING;
    this.last = contentOf(deps.doc);
    deps.doc.on('afterTransaction', this.noteTransaction);
  }

  /** Stores a checkpoint of the current state, once the edits it covers are durable. */
  checkpoint(reason: CheckpointReason, details: CheckpointDetails = {}): Promise<CheckpointInfo> {
    return this.enqueue(() => this.take(reason, details));
  }

  /** Everyone left: a checkpoint if the text or title changed since the latest one. */
  lastUserLeft(): void {
    this.checkpointIfChanged('idle');
  }

  /** Resolves once every checkpoint asked for so far is stored (or has failed). */
  async settled(): Promise<void> {
    await this.chain.catch(() => undefined);
  }

  /** Stops the timer and listening; checkpoints already asked for still complete. */
  destroy(): void {
    this.destroyed = true;
    this.clearTimer();
    this.deps.doc.off('afterTransaction', this.noteTransaction);
  }

  private readonly noteTransaction = (transaction: Y.Transaction): void => {
    let changed = transaction.deleteSet.clients.size > 0;
    for (const [clientId, clock] of transaction.afterState) {
      if (clock > (transaction.beforeState.get(clientId) ?? 0)) {
        this.editedClients.add(clientId);
        changed = true;
      }
    }
    if (!changed) return;
    this.edited = true;
    const editor = editorOf(transaction.origin);
    if (editor) this.editors.set(editor.id, editor);
    this.armTimer();
  };

  private armTimer(): void {
    if (this.timer !== null || this.destroyed) return;
    const wait = Math.max(0, this.lastAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.checkpointIfChanged('interval');
    }, wait);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private checkpointIfChanged(reason: 'interval' | 'idle'): void {
    this.enqueue(async () => {
      if (sameContent(contentOf(this.deps.doc), this.last)) return null;
      return this.take(reason, {}, (newest, digest) => this.covers(reason, newest, digest));
    }).catch((error: unknown) => {
      this.deps.log.error({ err: error, doc: this.deps.docName, reason }, 'checkpoint failed');
    });
  }

  /**
   * Whether the newest stored checkpoint makes an automatic one needless. In cluster mode
   * every relay holding the document runs its own timer, so another relay may have stored
   * this very content, or (while someone types) an interval checkpoint a moment ago.
   */
  private covers(reason: 'interval' | 'idle', newest: CheckpointInfo, digest: string): boolean {
    if (newest.contentDigest === digest) return true;
    return reason === 'interval' && Date.now() - newest.createdAt < this.intervalMs / 2;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.chain.then(task, task);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async take(reason: CheckpointReason, details: CheckpointDetails): Promise<CheckpointInfo>;
  private async take(
    reason: CheckpointReason,
    details: CheckpointDetails,
    covers: (newest: CheckpointInfo, digest: string) => boolean,
  ): Promise<CheckpointInfo | null>;
  private async take(
    reason: CheckpointReason,
    details: CheckpointDetails,
    covers?: (newest: CheckpointInfo, digest: string) => boolean,
  ): Promise<CheckpointInfo | null> {
    const { doc, store, docName } = this.deps;
    const state = Y.encodeStateAsUpdate(doc);
    const content = contentOf(doc);
    const contentDigest = digestOf(content);
    const chars = doc.getText('content').length;
    const editedClients = this.editedClients;
    const editors = this.editors;
    this.editedClients = new Set();
    this.editors = new Map();
    this.edited = false;
    this.clearTimer();
    try {
      await this.deps.flush();
      const checkpoint: NewCheckpoint = {
        createdAt: Date.now(),
        reason,
        ...(details.name === undefined ? {} : { name: details.name }),
        ...(details.restoredFrom === undefined ? {} : { restoredFrom: details.restoredFrom }),
        authors: details.authors ?? this.resolveAuthors(editors, editedClients),
        chars,
        ...(content.title === undefined ? {} : { title: content.title }),
        contentDigest,
        state,
      };
      const decision = covers && recordingCover((newest) => covers(newest, contentDigest));
      const info = decision
        ? await store.addCheckpointUnless(docName, checkpoint, decision.covered)
        : await store.addCheckpoint(docName, checkpoint);
      if (info === null) {
        const coveredBy = decision?.coveredBy();
        if (coveredBy) this.adopt(coveredBy, content, contentDigest, editors, editedClients);
        return null;
      }
      this.last = content;
      this.lastAt = info.createdAt;
      await this.thin();
      return info;
    } catch (error) {
      this.keepToName(editors, editedClients);
      this.edited = true;
      // Retried an interval from now, not in a tight loop while storage is down.
      this.lastAt = Date.now();
      throw error;
    } finally {
      // Edits that came while this one was being stored still need their checkpoint.
      if (this.edited) this.armTimer();
    }
  }

  /**
   * A checkpoint stored elsewhere covered the one offered: the next interval counts from it
   * (never from a time ahead of this clock), and unless it holds this very content, the
   * edits since it are still to be checkpointed and their editors named.
   */
  private adopt(
    newest: CheckpointInfo,
    content: Content,
    contentDigest: string,
    editors: Map<string, Author>,
    editedClients: Set<number>,
  ): void {
    this.lastAt = Math.min(Date.now(), newest.createdAt);
    if (newest.contentDigest === contentDigest) this.last = content;
    else {
      this.keepToName(editors, editedClients);
      this.edited = true;
    }
  }

  /** Nothing named these editors yet: the next checkpoint must. */
  private keepToName(editors: Map<string, Author>, editedClients: Set<number>): void {
    for (const clientId of editedClients) this.editedClients.add(clientId);
    for (const [id, author] of editors) if (!this.editors.has(id)) this.editors.set(id, author);
  }

  private resolveAuthors(editors: Map<string, Author>, clients: Set<number>): Author[] {
    const authors = new Map(editors);
    for (const clientId of clients) {
      const author = this.deps.authorship.authorOf(clientId);
      if (author && !authors.has(author.id)) authors.set(author.id, author);
    }
    return [...authors.values()].map(({ id, name }) => ({ id, name }));
  }

  private async thin(): Promise<void> {
    const { store, docName, log } = this.deps;
    try {
      const doomed = checkpointsToThin(
        await store.listCheckpoints(docName),
        Date.now(),
        this.thinning,
      );
      if (doomed.length > 0) await store.deleteCheckpoints(docName, doomed);
    } catch (error) {
      // Thinning again after the next checkpoint catches up; nothing is lost by waiting.
      log.warn({ err: error, doc: docName }, 'thinning checkpoints failed');
    }
  }
}

/** The user an update's origin speaks for, when that is known without the table. */
function editorOf(origin: unknown): Author | null {
  if (origin instanceof UserChange) return origin.author;
  const principal = (origin as { principal?: Principal } | null)?.principal;
  if (principal === undefined || isLocalPrincipal(principal)) return null;
  return authorOfPrincipal(principal);
}

function contentOf(doc: Y.Doc): Content {
  const title = doc.getMap('meta').get('title');
  return {
    text: doc.getText('content').toString(),
    title: typeof title === 'string' ? title : undefined,
  };
}

/** A store's `covered` predicate that remembers which checkpoint covered the offer, if any. */
function recordingCover(covers: (newest: CheckpointInfo) => boolean): {
  covered: CheckpointCovered;
  coveredBy: () => CheckpointInfo | undefined;
} {
  let coveredBy: CheckpointInfo | undefined;
  return {
    covered: (newest) => {
      coveredBy = newest !== null && covers(newest) ? newest : undefined;
      return coveredBy !== undefined;
    },
    coveredBy: () => coveredBy,
  };
}

/** What a checkpoint's `contentDigest` holds: SHA-256 of its text and title. */
function digestOf(content: Content): string {
  return createHash('sha256')
    .update(JSON.stringify([content.text, content.title ?? null]))
    .digest('base64url');
}

function sameContent(a: Content, b: Content): boolean {
  return a.text === b.text && a.title === b.title;
}
