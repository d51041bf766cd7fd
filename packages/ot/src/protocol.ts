/**
 * The messages between OtClient and OtServer: plain JSON-able objects, so any transport can
 * carry them. One record type serves as both broadcast and acknowledgement: a client that finds
 * its own `client`/`seq` in a record knows its op was accepted at that revision.
 */
import type { TextOp } from './types';

/** A client's op, made on the document at server revision `revision`. */
export interface SubmitMessage {
  readonly client: string;
  /** Per-client counter (1, 2, 3…) that lets the server recognise a resent op. */
  readonly seq: number;
  /** How many server revisions the op's author had seen when the op was made. */
  readonly revision: number;
  readonly op: TextOp;
}

/** Revision `revision` of the server's history (0-based): `op`, by `client`'s op `seq`. */
export interface RevisionRecord {
  readonly revision: number;
  readonly client: string;
  readonly seq: number;
  /** The op as applied by the server, i.e. transformed past everything before it. */
  readonly op: TextOp;
}
