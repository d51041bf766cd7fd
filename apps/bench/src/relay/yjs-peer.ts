/**
 * A real Yjs replica connected to one server through `ws`: it syncs, applies every update it
 * receives to its own Y.Doc, and sends its local edits. Writers and at least one reader per
 * room are peers, so convergence and fan-out latency are measured on real documents.
 *
 * Latency bookkeeping lives in `EditLog`: every edit inserts exactly one character, so edit
 * number k of a writer is the item with clock k of its client id, and a replica that has
 * advanced a writer's clock from a to b has just received edits a..b-1.
 */
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  openingFrames,
  parseFrame,
  socketPath,
  step2Frame,
  updateFrame,
  type Dialect,
} from './dialect';

const REMOTE = Symbol('remote');

/** When each writer sent each edit, and the latencies replicas observed. */
export class EditLog {
  /** performance.now() of each edit, by writer client id and clock. */
  readonly sentAt = new Map<number, number[]>();
  /** Edits sent in [windowStart, windowEnd) have their latencies recorded. */
  windowStart = Infinity;
  windowEnd = Infinity;
  readonly fanoutMs: number[] = [];
  readonly savedMs: number[] = [];

  inWindow(sent: number): boolean {
    return sent >= this.windowStart && sent < this.windowEnd;
  }
}

export interface PeerOptions {
  readonly dialect: Dialect;
  readonly wsUrl: string;
  readonly room: string;
  readonly log: EditLog;
  /** Client ids of the writers whose edits this replica measures (never its own). */
  readonly watched: () => readonly number[];
  readonly timeoutMs?: number;
}

export class YjsPeer {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText('content');
  /** Edits of watched writers received (clock advance). */
  received = 0;
  /** Saved acknowledgements received (Weft only). */
  savedFrames = 0;
  closed = false;
  private readonly socket: WebSocket;
  private readonly seen = new Map<number, number>();
  private acked = 0;

  /** Clock of this replica's own edits covered by saved acknowledgements. */
  get ackedClock(): number {
    return this.acked;
  }

  /** True when saved acknowledgements cover every edit this replica made. */
  isSaved(): boolean {
    return this.acked >= Y.getState(this.doc.store, this.clientId);
  }

  private constructor(
    private readonly options: PeerOptions,
    onSynced: () => void,
    onError: (error: Error) => void,
  ) {
    const { dialect, wsUrl, room } = options;
    this.socket = new WebSocket(wsUrl + socketPath(dialect, room), { perMessageDeflate: false });
    this.socket.binaryType = 'nodebuffer';
    this.socket.on('open', () => {
      for (const frame of openingFrames(dialect, room, Y.encodeStateVector(this.doc))) {
        this.socket.send(frame);
      }
    });
    this.socket.on('message', (data: Buffer) => {
      const frame = parseFrame(dialect, data);
      switch (frame.kind) {
        case 'step1':
          this.send(
            step2Frame(dialect, room, Y.encodeStateAsUpdate(this.doc, frame.body ?? undefined)),
          );
          return;
        case 'step2':
          if (frame.body) Y.applyUpdate(this.doc, frame.body, REMOTE);
          onSynced();
          return;
        case 'update':
          if (frame.body) Y.applyUpdate(this.doc, frame.body, REMOTE);
          return;
        case 'saved':
          this.savedFrames++;
          if (frame.body) this.onSaved(frame.body);
          return;
        case 'other':
          return;
      }
    });
    this.socket.on('error', onError);
    this.socket.on('close', () => {
      this.closed = true;
      onError(new Error(`peer in ${room} closed before syncing`));
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) this.measure();
      else this.send(updateFrame(dialect, room, update));
    });
  }

  /** Connects and resolves once the initial sync is complete. */
  static connect(options: PeerOptions): Promise<YjsPeer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        peer.close();
        reject(
          new Error(`peer in ${options.room}: not synced within ${options.timeoutMs ?? 30_000} ms`),
        );
      }, options.timeoutMs ?? 30_000);
      const peer: YjsPeer = new YjsPeer(
        options,
        () => {
          clearTimeout(timer);
          resolve(peer);
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  get clientId(): number {
    return this.doc.clientID;
  }

  /** Everything this replica holds, for convergence checks. */
  stateVector(): Map<number, number> {
    return Y.decodeStateVector(Y.encodeStateVector(this.doc));
  }

  /**
   * One edit as a person types: one character at the cursor, sometimes replacing the
   * character before it. Always exactly one new item (clock + 1).
   */
  edit(random: () => number, cursor: number): number {
    const length = this.text.length;
    let at = Math.min(cursor, length);
    if (random() < 0.05) at = Math.floor(random() * (length + 1));
    const char = String.fromCharCode(97 + Math.floor(random() * 26));
    let sentAt = this.options.log.sentAt.get(this.clientId);
    if (!sentAt) {
      sentAt = [];
      this.options.log.sentAt.set(this.clientId, sentAt);
    }
    sentAt.push(performance.now());
    if (at > 0 && random() < 0.1) {
      this.doc.transact(() => {
        this.text.delete(at - 1, 1);
        this.text.insert(at - 1, char);
      });
      return at;
    }
    this.text.insert(at, char);
    return at + 1;
  }

  close(): void {
    this.socket.terminate();
    this.doc.destroy();
  }

  private send(frame: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  private measure(): void {
    const now = performance.now();
    const log = this.options.log;
    for (const writer of this.options.watched()) {
      const clock = Y.getState(this.doc.store, writer);
      const before = this.seen.get(writer) ?? 0;
      if (clock <= before) continue;
      this.seen.set(writer, clock);
      this.received += clock - before;
      const sentAt = log.sentAt.get(writer);
      if (!sentAt) continue;
      for (let k = before; k < clock; k++) {
        const sent = sentAt[k];
        if (sent !== undefined && log.inWindow(sent)) log.fanoutMs.push(now - sent);
      }
    }
  }

  private onSaved(vector: Uint8Array): void {
    const clock = Y.decodeStateVector(vector).get(this.clientId) ?? 0;
    if (clock <= this.acked) return;
    const now = performance.now();
    const log = this.options.log;
    const sentAt = log.sentAt.get(this.clientId);
    if (sentAt) {
      for (let k = this.acked; k < clock; k++) {
        const sent = sentAt[k];
        if (sent !== undefined && log.inWindow(sent)) log.savedMs.push(now - sent);
      }
    }
    this.acked = clock;
  }
}
