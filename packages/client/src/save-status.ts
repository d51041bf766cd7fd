/**
 * The truthful save status of one document, derived from the relay's counted saved
 * acknowledgements (message type 101). "Saved" means the relay has durably stored every edit
 * made on this device — deletions included, which a state vector cannot show — not merely
 * that a socket is open. Which edits those are is `UnsavedEdits`' job; the tracker opts in
 * (frame `[101]`) each time a socket opens and turns the count into a status.
 */
import { MessageType, encodeStoredCountOptIn, readStoredCountBody } from '@weft/protocol';
import type * as decoding from 'lib0/decoding';
import type { LocalCopy, LocalCopyState } from './local-copy.js';
import type { ConnectionSnapshot } from './relay-connection.js';
import type { UnsavedEdits } from './unsaved-edits.js';

/**
 * - `offline`: the device is offline or the relay cannot be reached.
 * - `connecting`: trying to reach the relay for the first time since going online.
 * - `syncing`: connected; some local edits are not yet acknowledged as stored.
 * - `saved`: the relay has acknowledged storing every edit made on this device.
 */
export type SaveState = 'offline' | 'connecting' | 'syncing' | 'saved';

export interface SaveStatus {
  readonly state: SaveState;
  /** Edits (transactions: a keystroke, a paste, a title change) not yet stored by the relay. */
  readonly unsaved: number;
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
  private snapshot: SaveStatus;
  private readonly listeners = new Set<Listener>();
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly edits: UnsavedEdits,
    private readonly channel: SaveStatusChannel,
    private readonly local: LocalCopy | null = null,
  ) {
    this.snapshot = { state: 'connecting', unsaved: edits.count, local: 'none', retryAt: null };
    channel.onMessage(MessageType.storedCount, (decoder) => {
      const stored = readStoredCountBody(decoder);
      if (stored !== null) edits.acknowledge(stored);
    });
    this.cleanups.push(channel.onOpen(() => channel.send(encodeStoredCountOptIn())));
    this.cleanups.push(channel.subscribe(this.update));
    this.cleanups.push(edits.subscribe(this.update));
    if (local) this.cleanups.push(local.subscribe(this.update));
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
    this.listeners.clear();
  }

  private readonly update = (): void => {
    const connection = this.channel.getSnapshot();
    const unsaved = this.edits.count;
    const next: SaveStatus = {
      state: deriveState(connection, unsaved === 0),
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
