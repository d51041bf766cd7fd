/**
 * A loaded document: its Y.Doc, its awareness, the connections editing it, and its persister.
 * Every change is encoded once and the same frame is sent to every recipient.
 */
import { encodeSavedAck } from '@weft/protocol';
import type { DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DocPersister, type PersisterOptions } from './doc-persister';
import { awarenessFrame, syncUpdateFrame } from './frames';
import type { RelayMetrics } from './metrics';

/** What every room of a relay shares. */
export interface RoomContext {
  readonly store: DocStore;
  readonly options: PersisterOptions;
  readonly log: Logger;
  readonly metrics: RelayMetrics;
}

/** What a room needs from a connection. */
export interface RoomMember {
  send(frame: Uint8Array): void;
  /** The member opted in to saved acknowledgements. */
  readonly wantsSaved: boolean;
  /** Awareness client ids this member introduced; only it may change or remove them. */
  readonly awarenessClients: Set<number>;
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
  /** Failed storage operations since the room was loaded. */
  storageErrors = 0;
  private readonly metrics: RelayMetrics;

  constructor(
    readonly name: string,
    storedState: Uint8Array | null,
    context: RoomContext,
  ) {
    const { store, options, log, metrics } = context;
    this.metrics = metrics;
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
        onSaved: (vector) => {
          this.broadcastSaved(vector);
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
    this.doc.on('update', this.handleDocUpdate);
    this.awareness.on('update', this.handleAwarenessUpdate);
  }

  /** Tears down listeners and awareness timers. Call after the persister has flushed. */
  destroy(): void {
    this.persister.stop();
    this.doc.off('update', this.handleDocUpdate);
    this.awareness.off('update', this.handleAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const started = performance.now();
    this.persister.enqueue(update);
    const frame = syncUpdateFrame(update);
    for (const member of this.members) {
      if (member !== origin) member.send(frame);
    }
    this.metrics.broadcastSeconds.observe((performance.now() - started) / 1000);
  };

  /**
   * True when `member` may set or remove the presence of `clientId`: its own, or an id
   * nobody has claimed, up to `maxClients` ids per member.
   */
  mayWriteAwareness(member: RoomMember, clientId: number, maxClients: number): boolean {
    const owner = this.awarenessOwners.get(clientId);
    if (owner !== undefined) return owner === member;
    return member.awarenessClients.size < maxClients;
  }

  private readonly handleAwarenessUpdate = (change: AwarenessChange, origin: unknown): void => {
    if (isMember(origin, this.members)) {
      for (const id of [...change.added, ...change.updated]) {
        origin.awarenessClients.add(id);
        this.awarenessOwners.set(id, origin);
      }
    }
    // Removals come from the owner, from a connection that closed, or from a timeout.
    for (const id of change.removed) {
      this.awarenessOwners.get(id)?.awarenessClients.delete(id);
      this.awarenessOwners.delete(id);
    }
    const changed = [...change.added, ...change.updated, ...change.removed];
    const frame = awarenessFrame(this.awareness, changed);
    for (const member of this.members) member.send(frame);
  };

  private broadcastSaved(vector: Uint8Array): void {
    let frame: Uint8Array | null = null;
    for (const member of this.members) {
      if (!member.wantsSaved) continue;
      frame ??= encodeSavedAck(vector);
      member.send(frame);
    }
  }
}

function isMember(origin: unknown, members: Set<RoomMember>): origin is RoomMember {
  return members.has(origin as RoomMember);
}
