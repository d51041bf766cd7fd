/**
 * The client half of the classic OT protocol (as in ot.js / ShareDB): at most one op in flight
 * to the server, later local edits composed into a single buffered op. Three states:
 *
 * - `synchronized`: nothing unconfirmed; a local edit is sent at once.
 * - `awaitingConfirm`: one op in flight; a local edit becomes the buffer.
 * - `awaitingWithBuffer`: one op in flight and a buffer; local edits compose into the buffer.
 *
 * A remote op is transformed past the in-flight op and the buffer (and they past it) before it
 * is applied locally. The acknowledgement of the in-flight op sends the buffer.
 *
 * No I/O: methods return the message to send (if any) and the op that changed the local
 * document (for an editor to replay). Records must be delivered in revision order; records
 * already seen are ignored, so catch-up after a reconnect may overlap what was delivered.
 *
 * @example
 *   const client = new OtClient({ id: 'a', ...server.snapshot() });
 *   const send = client.applyLocal([5, '!']);          // SubmitMessage, or null if it must wait
 *   const { send: next, applied } = client.receive(record);
 */
import { apply } from './apply';
import { compose } from './compose';
import { isNoop, normalize } from './normalize';
import { OtProtocolError } from './errors';
import type { RevisionRecord, SubmitMessage } from './protocol';
import { transform } from './transform';
import type { Component, TextOp } from './types';

export type OtClientState = 'synchronized' | 'awaitingConfirm' | 'awaitingWithBuffer';

export interface OtClientOptions {
  /** Unique among the server's clients. */
  readonly id: string;
  /** The server revision `document` is at. */
  readonly revision: number;
  readonly document: string;
}

/** What delivering a record did. */
export interface ReceiveResult {
  /** A message to send to the server now (the buffer, released by an acknowledgement). */
  readonly send: SubmitMessage | null;
  /** The op applied to the local document, or null when it did not change (an ack, a repeat). */
  readonly applied: TextOp | null;
}

export class OtClient {
  readonly id: string;
  private doc: string;
  private rev: number;
  private seq = 0;
  /** The op in flight: as sent (for resending) and as transformed since (for local use). */
  private inflight: { readonly sent: SubmitMessage; readonly op: TextOp } | null = null;
  private buffer: TextOp | null = null;

  constructor(options: OtClientOptions) {
    this.id = options.id;
    this.rev = options.revision;
    this.doc = options.document;
  }

  get state(): OtClientState {
    if (this.inflight === null) return 'synchronized';
    return this.buffer === null ? 'awaitingConfirm' : 'awaitingWithBuffer';
  }

  /** The local document: the server's at `revision`, plus the unconfirmed local edits. */
  get document(): string {
    return this.doc;
  }

  /** Number of server revisions this client has received. */
  get revision(): number {
    return this.rev;
  }

  /** The message awaiting acknowledgement, as it was sent, if any. */
  get pending(): SubmitMessage | null {
    return this.inflight?.sent ?? null;
  }

  /**
   * Applies a local edit (made on `document`) and returns the message to send, or null when
   * there is nothing to send now: an op is already in flight (the edit was buffered) or the
   * edit changes nothing. Throws `InvalidOpError`, changing nothing, if the op does not fit.
   */
  applyLocal(op: readonly Component[]): SubmitMessage | null {
    const next = apply(this.doc, op);
    if (isNoop(op)) return null;
    const normalized = normalize(op);
    if (this.inflight !== null) {
      this.buffer = this.buffer === null ? normalized : compose(this.buffer, normalized);
      this.doc = next;
      return null;
    }
    this.doc = next;
    return this.send(normalized);
  }

  /**
   * Delivers the next server record: either the acknowledgement of this client's in-flight op
   * or another client's op. Throws `OtProtocolError` if a record is skipped.
   */
  receive(record: RevisionRecord): ReceiveResult {
    if (record.revision < this.rev) return { send: null, applied: null };
    if (record.revision > this.rev) {
      throw new OtProtocolError(
        `Client ${this.id} expected revision ${this.rev} but received ${record.revision}`,
      );
    }
    if (record.client === this.id) return this.acknowledge(record);
    let remote = record.op;
    if (this.inflight !== null) {
      // The server put `remote` first; our in-flight op will be transformed past it there
      // (as the later, left op), and `remote` must be transformed past ours here.
      const mine = this.inflight.op;
      this.inflight = { sent: this.inflight.sent, op: transform(mine, remote, 'left') };
      remote = transform(remote, mine, 'right');
      if (this.buffer !== null) {
        const buffered = this.buffer;
        this.buffer = transform(buffered, remote, 'left');
        remote = transform(remote, buffered, 'right');
      }
    }
    this.doc = apply(this.doc, remote);
    this.rev++;
    return { send: null, applied: remote };
  }

  /**
   * After reconnecting: the message to send again (the in-flight op, unchanged, with its
   * original seq and revision), or null. The server drops it if it already applied it; then
   * deliver `server.recordsSince(client.revision)` as usual.
   */
  resend(): SubmitMessage | null {
    return this.pending;
  }

  private acknowledge(record: RevisionRecord): ReceiveResult {
    const expected = this.inflight?.sent.seq;
    if (expected !== record.seq) {
      throw new OtProtocolError(
        `Client ${this.id} received an acknowledgement for seq ${record.seq}, ` +
          `but its op in flight is ${expected === undefined ? 'none' : `seq ${expected}`}`,
      );
    }
    this.rev++;
    this.inflight = null;
    const buffered = this.buffer;
    this.buffer = null;
    return { send: buffered === null ? null : this.send(buffered), applied: null };
  }

  private send(op: TextOp): SubmitMessage {
    this.seq++;
    const sent: SubmitMessage = { client: this.id, seq: this.seq, revision: this.rev, op };
    this.inflight = { sent, op };
    return sent;
  }
}
