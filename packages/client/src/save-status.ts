/**
 * The truthful save status of one document, derived from the relay's saved acknowledgements
 * (message type 100). "Saved" means the relay has durably stored every local edit — not
 * merely that a socket is open.
 *
 * Plugs into an unmodified y-websocket `WebsocketProvider`: it registers a handler for type
 * 100 and sends the opt-in frame each time the socket opens.
 */
import {
  MessageType,
  covers,
  encodeSavedOptIn,
  readSavedBody,
  uncoveredCount,
} from '@weft/protocol';
import type * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export type SaveState = 'offline' | 'connecting' | 'syncing' | 'saved';

export interface SaveStatus {
  readonly state: SaveState;
  /** Local operations (characters, roughly) the relay has not yet acknowledged as stored. */
  readonly unsaved: number;
}

type Listener = () => void;
type MessageHandler = (
  encoder: unknown,
  decoder: decoding.Decoder,
  provider: WebsocketProvider,
  emitSynced: boolean,
  messageType: number,
) => void;

export class SaveStatusTracker {
  private acknowledged = new Map<number, number>();
  private hasAck = false;
  private failedAttempts = 0;
  private browserOnline = true;
  private snapshot: SaveStatus = { state: 'connecting', unsaved: 0 };
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: WebsocketProvider,
  ) {
    (provider.messageHandlers as MessageHandler[])[MessageType.saved] = (_e, decoder) => {
      const vector = readSavedBody(decoder);
      if (vector === null) return;
      this.acknowledged = vector;
      this.hasAck = true;
      this.update();
    };
    provider.on('status', this.handleStatus);
    provider.on('sync', this.update);
    provider.on('connection-close', this.handleClose);
    doc.on('update', this.update);
    if (provider.wsconnected) this.optIn();
    this.update();
  }

  /** For React's useSyncExternalStore: the same object until the status changes. */
  readonly getSnapshot = (): SaveStatus => this.snapshot;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Tells the tracker what the browser says about connectivity. */
  setBrowserOnline(online: boolean): void {
    this.browserOnline = online;
    this.update();
  }

  destroy(): void {
    this.provider.off('status', this.handleStatus);
    this.provider.off('sync', this.update);
    this.provider.off('connection-close', this.handleClose);
    this.doc.off('update', this.update);
    this.listeners.clear();
  }

  private readonly handleStatus = ({ status }: { status: string }): void => {
    if (status === 'connected') {
      this.failedAttempts = 0;
      this.hasAck = false;
      this.optIn();
    }
    this.update();
  };

  private readonly handleClose = (): void => {
    this.failedAttempts++;
    this.update();
  };

  private optIn(): void {
    this.provider.ws?.send(encodeSavedOptIn());
  }

  private readonly update = (): void => {
    const local = Y.decodeStateVector(Y.encodeStateVector(this.doc));
    const unsaved = this.hasAck ? uncoveredCount(this.acknowledged, local) : sumClocks(local);
    const state = this.deriveState(local);
    if (state === this.snapshot.state && unsaved === this.snapshot.unsaved) return;
    this.snapshot = { state, unsaved };
    for (const listener of this.listeners) listener();
  };

  private deriveState(local: Map<number, number>): SaveState {
    if (!this.browserOnline) return 'offline';
    if (this.provider.wsconnected) {
      const saved = this.provider.synced && this.hasAck && covers(this.acknowledged, local);
      return saved ? 'saved' : 'syncing';
    }
    return this.failedAttempts > 0 ? 'offline' : 'connecting';
  }
}

function sumClocks(vector: Map<number, number>): number {
  let sum = 0;
  for (const clock of vector.values()) sum += clock;
  return sum;
}
