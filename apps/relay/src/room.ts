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

export interface RoomStats {
  storageErrors: number;
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness: Awareness;
  readonly members = new Set<RoomMember>();
  readonly persister: DocPersister;
  readonly stats: RoomStats = { storageErrors: 0 };

  constructor(
    readonly name: string,
    storedState: Uint8Array | null,
    store: DocStore,
    options: PersisterOptions,
    log: Logger,
  ) {
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
        onStorageError: () => {
          this.stats.storageErrors++;
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
    this.persister.enqueue(update);
    const frame = syncUpdateFrame(update);
    for (const member of this.members) {
      if (member !== origin) member.send(frame);
    }
  };

  private readonly handleAwarenessUpdate = (change: AwarenessChange, origin: unknown): void => {
    if (isMember(origin, this.members)) {
      for (const id of change.added) origin.awarenessClients.add(id);
      for (const id of change.updated) origin.awarenessClients.add(id);
      for (const id of change.removed) origin.awarenessClients.delete(id);
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
