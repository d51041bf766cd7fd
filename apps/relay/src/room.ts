/**
 * A loaded document: its Y.Doc, its awareness, the connections editing it, and its persister.
 * Every change is encoded once and the same frame is sent to every recipient.
 *
 * Document updates are broadcast once per event-loop turn: the updates applied during a turn
 * are merged into one frame (each sender gets the merge of the others' updates, never its own
 * back). Under light load a turn holds one update and nothing changes; under heavy load the
 * relay sends one frame where it sent many, and a connection's frames of one turn leave in one
 * system call (write-coalescer.ts). Saved acknowledgements: saved-acknowledger.ts.
 */
import type { Author, DocInfo, DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Principal } from './auth';
import { DocPersister, type PersisterOptions } from './doc-persister';
import { Authorship, isLocalPrincipal } from './history/authorship';
import { Checkpointer, type CheckpointOptions } from './history/checkpointer';
import { awarenessFrame, syncUpdateFrame } from './frames';
import type { HookRunner } from './hooks';
import type { RelayMetrics } from './metrics';
import { SavedAcknowledger } from './saved-acknowledger';
import { SharedFrame } from './shared-frame';
import { atEndOfTurn } from './write-coalescer';

/**
 * The origin of updates that are already stored: another relay committed them (cluster mode,
 * cluster/doc-channel.ts). They are applied and broadcast like any update, never stored again.
 */
export const ALREADY_STORED = Symbol('already stored');

/** How often members that did not write are told what is stored (see saved-acknowledger.ts). */
export const PASSIVE_ACK_INTERVAL_MS = 500;

/** What every room of a relay shares. */
export interface RoomContext {
  readonly store: DocStore;
  readonly options: PersisterOptions & CheckpointOptions;
  readonly log: Logger;
  readonly metrics: RelayMetrics;
  /** An embedding application's hooks (hooks.ts); none for the CLI. */
  readonly hooks?: HookRunner | undefined;
}

/** What a room needs from a connection. */
export interface RoomMember {
  /** Sends a frame the room built once for all its recipients. */
  send(frame: SharedFrame): void;
  /** The member opted in to saved acknowledgements. */
  readonly wantsSaved: boolean;
  /** Every update the persister queued up to `sequence` is stored (counted acks, type 101). */
  storedThrough(sequence: number): void;
  /** Awareness client ids this member introduced; only it may change or remove them. */
  readonly awarenessClients: Set<number>;
  /** Whose token the member holds (none: local mode), for authorship (history/authorship.ts). */
  readonly principal?: Principal;
}

export interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: Awareness;
  readonly members = new Set<RoomMember>();
  /** Which member introduced each awareness client id; only it may change that presence. */
  private readonly awarenessOwners = new Map<number, RoomMember>();
  readonly persister: DocPersister;
  /** Which user each Yjs client id belongs to. */
  readonly authorship: Authorship;
  /** Takes this document's checkpoints (history). */
  readonly checkpointer: Checkpointer;
  /** Failed storage operations since the room was loaded. */
  storageErrors = 0;
  /** Told of each committed write batch (cluster mode publishes it: cluster/cluster.ts). */
  onCommitted: ((updates: readonly Uint8Array[], info: DocInfo) => void) | null = null;
  private readonly metrics: RelayMetrics;
  private readonly hooks: HookRunner | undefined;
  /** Updates applied this turn and not yet broadcast, with the connection each came from. */
  private pending: { update: Uint8Array; origin: unknown }[] = [];
  private flushScheduled = false;
  private destroyed = false;
  private readonly acknowledger = new SavedAcknowledger(this.members, PASSIVE_ACK_INTERVAL_MS);

  constructor(
    readonly name: string,
    storedState: Uint8Array | null,
    context: RoomContext,
    storedAuthors: ReadonlyMap<number, Author> = new Map(),
  ) {
    const { store, options, log, metrics } = context;
    this.metrics = metrics;
    this.hooks = context.hooks;
    if (storedState) Y.applyUpdate(this.doc, storedState);
    this.awareness = new Awareness(this.doc);
    // The relay is not a participant: it has no cursor of its own.
    this.awareness.setLocalState(null);
    this.persister = new DocPersister(
      name,
      this.doc,
      store,
      options,
      {
        onSaved: (vector, authors) => {
          this.acknowledger.saved(vector, authors);
        },
        onStored: (sequence) => {
          for (const member of this.members) member.storedThrough(sequence);
          // Only when nothing newer waits is the live document exactly what is stored.
          if (this.hooks?.wantsStored && sequence === this.persister.queued) {
            this.hooks.stored(name, this.doc);
          }
        },
        onCommitted: (updates, info) => {
          this.onCommitted?.(updates, info);
        },
        onBatchWritten: (updates, seconds) => {
          metrics.persistBatchUpdates.observe(updates);
          metrics.persistSeconds.observe(seconds);
        },
        onStorageError: (_error, operation) => {
          this.storageErrors++;
          metrics.storageErrors.inc({ operation });
        },
      },
      log,
    );
    this.authorship = new Authorship(name, store, storedAuthors, log);
    this.checkpointer = new Checkpointer(
      {
        docName: name,
        doc: this.doc,
        flush: () => this.persister.flush(),
        store,
        authorship: this.authorship,
        log,
      },
      options,
    );
    this.doc.on('update', this.handleDocUpdate);
    this.awareness.on('update', this.handleAwarenessUpdate);
  }

  /** Tears down listeners and awareness timers. Call after the persister has flushed. */
  destroy(): void {
    this.destroyed = true;
    this.acknowledger.destroy();
    this.checkpointer.destroy();
    this.persister.stop();
    this.doc.off('update', this.handleDocUpdate);
    this.awareness.off('update', this.handleAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === ALREADY_STORED) this.persister.storedElsewhere();
    else this.persister.enqueue(update, origin);
    this.pending.push({ update, origin });
    this.scheduleFlush();
    this.hooks?.changed({ docName: this.name, doc: this.doc });
  };

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    atEndOfTurn(this.flush);
  }

  /** Broadcasts this turn's updates. */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.destroyed || this.pending.length === 0) return;
    const started = performance.now();
    const pending = this.pending;
    this.pending = [];
    this.broadcastUpdates(pending);
    // A passive saved acknowledgement that is nearly due leaves in the same writes.
    this.acknowledger.withBroadcast();
    this.metrics.broadcastSeconds.observe((performance.now() - started) / 1000);
  };

  private broadcastUpdates(pending: readonly { update: Uint8Array; origin: unknown }[]): void {
    const frameOf = (items: readonly { update: Uint8Array }[]): SharedFrame => {
      const [only] = items;
      const update =
        items.length === 1 && only ? only.update : Y.mergeUpdates(items.map((i) => i.update));
      return new SharedFrame(syncUpdateFrame(update));
    };
    const frame = frameOf(pending);
    const origins = new Set(pending.map((p) => p.origin));
    for (const member of this.members) {
      if (!origins.has(member)) {
        member.send(frame);
        continue;
      }
      // A sender gets the others' updates of this turn (if any), never its own back.
      const others = pending.filter((p) => p.origin !== member);
      if (others.length > 0) member.send(frameOf(others));
    }
  }

  /**
   * True when `member` may set or remove the presence of `clientId`: its own, or an id
   * nobody has claimed, up to `maxClients` ids per member. `claimedInFrame` holds the new ids
   * this member's current frame already introduced (ownership is recorded only once the frame
   * is applied), so one frame cannot carry more than the cap either.
   */
  mayWriteAwareness(
    member: RoomMember,
    clientId: number,
    maxClients: number,
    claimedInFrame: Set<number>,
  ): boolean {
    const owner = this.awarenessOwners.get(clientId);
    if (owner !== undefined) return owner === member;
    if (claimedInFrame.has(clientId)) return true;
    if (member.awarenessClients.size + claimedInFrame.size >= maxClients) return false;
    claimedInFrame.add(clientId);
    return true;
  }

  private readonly handleAwarenessUpdate = (change: AwarenessChange, origin: unknown): void => {
    if (isMember(origin, this.members)) {
      for (const id of [...change.added, ...change.updated]) {
        origin.awarenessClients.add(id);
        this.awarenessOwners.set(id, origin);
        // Local mode: who a client id's edits are by is who its presence says it is.
        if (isLocalPrincipal(origin.principal)) {
          this.authorship.noteAwareness(id, this.awareness.getStates().get(id));
        }
      }
    }
    // Removals come from the owner, from a connection that closed, or from a timeout.
    for (const id of change.removed) {
      this.awarenessOwners.get(id)?.awarenessClients.delete(id);
      this.awarenessOwners.delete(id);
    }
    const changed = [...change.added, ...change.updated, ...change.removed];
    const frame = new SharedFrame(awarenessFrame(this.awareness, changed));
    for (const member of this.members) member.send(frame);
  };
}

function isMember(origin: unknown, members: Set<RoomMember>): origin is RoomMember {
  return members.has(origin as RoomMember);
}
