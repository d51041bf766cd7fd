/**
 * The central sequencer. Every op that reaches it gets the next revision number; an op made at
 * revision r is first transformed past revisions r, r+1, … so that it applies to the current
 * document. The history is kept so late ops can be transformed and reconnecting clients can
 * catch up. No I/O: the caller sends the returned record to every client, including the author
 * (for whom it is the acknowledgement).
 *
 * @example
 *   const server = new OtServer('hello');
 *   const record = server.receive({ client: 'a', seq: 1, revision: 0, op: [5, '!'] });
 *   // broadcast `record`; server.document === 'hello!'
 */
import { apply } from './apply';
import { OtProtocolError } from './errors';
import type { RevisionRecord, SubmitMessage } from './protocol';
import { transform } from './transform';
import type { TextOp } from './types';

export class OtServer {
  private doc: string;
  private readonly history: RevisionRecord[] = [];
  /** Highest seq applied per client, to drop ops a reconnecting client sends again. */
  private readonly lastSeq = new Map<string, number>();

  constructor(initial = '') {
    this.doc = initial;
  }

  /** Number of ops applied so far; the document is at this revision. */
  get revision(): number {
    return this.history.length;
  }

  get document(): string {
    return this.doc;
  }

  /**
   * Sequences a client's op. Returns the record to broadcast, or `null` when this exact op
   * (same client and seq) was already applied — the author will find it among the records it
   * catches up on. Throws `OtProtocolError` for a revision the server never had or a gap in
   * the client's seq, and `InvalidOpError` for an op that does not fit; in every error case
   * nothing changes.
   */
  receive(message: SubmitMessage): RevisionRecord | null {
    const { client, seq, revision } = message;
    const last = this.lastSeq.get(client) ?? 0;
    if (seq <= last) return null;
    if (seq !== last + 1) {
      throw new OtProtocolError(
        `Client ${client} sent seq ${seq} but the next expected is ${last + 1}`,
      );
    }
    if (!Number.isSafeInteger(revision) || revision < 0 || revision > this.revision) {
      throw new OtProtocolError(
        `Client ${client} sent an op at revision ${revision}; the server is at ${this.revision}`,
      );
    }
    let op: TextOp = message.op;
    for (let r = revision; r < this.history.length; r++) {
      const concurrent = this.history[r];
      // The op arriving later goes on the left: the same convention the clients use.
      if (concurrent) op = transform(op, concurrent.op, 'left');
    }
    this.doc = apply(this.doc, op);
    const record: RevisionRecord = { revision: this.history.length, client, seq, op };
    this.history.push(record);
    this.lastSeq.set(client, seq);
    return record;
  }

  /** Records from `revision` on, for a client that has seen `revision` of them. */
  recordsSince(revision: number): RevisionRecord[] {
    if (!Number.isSafeInteger(revision) || revision < 0 || revision > this.revision) {
      throw new OtProtocolError(`No revision ${revision}; the server is at ${this.revision}`);
    }
    return this.history.slice(revision);
  }

  /** What a new client starts from. */
  snapshot(): { revision: number; document: string } {
    return { revision: this.revision, document: this.doc };
  }
}
