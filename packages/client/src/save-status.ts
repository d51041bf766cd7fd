/**
 * The truthful save status of one document, derived from the relay's saved acknowledgements
 * (message type 100). "Saved" means the relay has durably stored every local edit — not
 * merely that a socket is open.
 *
 * The tracker opts in (frame `[100]`) each time a socket opens and keeps the highest
 * acknowledged clock per client across reconnects: an acknowledgement is a fact about what is
 * on the relay's disk, and stays true after the socket that carried it is gone.
 */
import {
  MessageType,
  covers,
  encodeSavedOptIn,
  readSavedBody,
  uncoveredCount,
} from '@weft/protocol';
import type * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { LocalCopy, LocalCopyState } from './local-copy';
import type { ConnectionSnapshot } from './relay-connection';

/**
 * - `offline`: the device is offline or the relay cannot be reached.
 * - `connecting`: trying to reach the relay for the first time since going online.
 * - `syncing`: connected; some local edits are not yet acknowledged as stored.
 * - `saved`: the relay's acknowledgement covers every edit this tab has.
 */
export type SaveState = 'offline' | 'connecting' | 'syncing' | 'saved';

export interface SaveStatus {
  readonly state: SaveState;
  /**
   * Operations (characters, roughly) the relay has not acknowledged; null until the first
   * acknowledgement arrives, because before it nothing is known.
   */
  readonly unsaved: number | null;
  /** Where this browser's own copy stands; `none` when the session keeps no local copy. */
  readonly local: LocalCopyState | 'none';
  /** When the next reconnect attempt starts (epoch ms), while offline because unreachable. */
  readonly retryAt: number | null;
}

/** What the tracker needs from the connection (a `RelayConnection`). */
export interface SaveStatusChannel {
  getSnapshot(): ConnectionSnapshot;
  subscribe(listener: () => void): () => void;
  onOpen(listener: () => void): () => void;
  onMessage(type: number, handler: (decoder: decoding.Decoder) => void): void;
  send(frame: Uint8Array<ArrayBuffer>): boolean;
}

type Listener = () => void;

export class SaveStatusTracker {
  private readonly acknowledged = new Map<number, number>();
  private hasAck = false;
  private snapshot: SaveStatus;
  private readonly listeners = new Set<Listener>();
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly doc: Y.Doc,
    private readonly channel: SaveStatusChannel,
    private readonly local: LocalCopy | null = null,
  ) {
    this.snapshot = { state: 'connecting', unsaved: null, local: 'none', retryAt: null };
    channel.onMessage(MessageType.saved, (decoder) => {
      const vector = readSavedBody(decoder);
      if (vector === null) return;
      this.acknowledge(vector);
    });
    this.cleanups.push(channel.onOpen(() => channel.send(encodeSavedOptIn())));
    this.cleanups.push(channel.subscribe(this.update));
    if (local) this.cleanups.push(local.subscribe(this.update));
    doc.on('update', this.update);
    this.update();
  }

  /** For React's useSyncExternalStore: the same object until the status changes. */
  readonly getSnapshot = (): SaveStatus => this.snapshot;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  destroy(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.doc.off('update', this.update);
    this.listeners.clear();
  }

  private acknowledge(vector: ReadonlyMap<number, number>): void {
    for (const [client, clock] of vector) {
      if (clock > (this.acknowledged.get(client) ?? 0)) this.acknowledged.set(client, clock);
    }
    this.hasAck = true;
    this.update();
  }

  private readonly update = (): void => {
    const connection = this.channel.getSnapshot();
    const localVector = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    const unsaved = this.hasAck ? uncoveredCount(this.acknowledged, localVector) : null;
    const next: SaveStatus = {
      state: deriveState(connection, this.hasAck && covers(this.acknowledged, localVector)),
      unsaved,
      local: this.local ? this.local.getSnapshot() : 'none',
      retryAt: connection.phase === 'unreachable' ? connection.retryAt : null,
    };
    const prev = this.snapshot;
    if (
      next.state === prev.state &&
      next.unsaved === prev.unsaved &&
      next.local === prev.local &&
      next.retryAt === prev.retryAt
    ) {
      return;
    }
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  };
}

/** The save state for a connection phase, given whether acknowledgements cover every edit. */
export function deriveState(connection: ConnectionSnapshot, allAcknowledged: boolean): SaveState {
  switch (connection.phase) {
    case 'offline':
    case 'unreachable':
      return 'offline';
    case 'connecting':
      return 'connecting';
    case 'synced':
      return allAcknowledged ? 'saved' : 'syncing';
  }
}
