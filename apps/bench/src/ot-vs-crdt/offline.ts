/**
 * Offline divergence: two replicas of one document each make n edits while disconnected, then
 * reconcile. OT: two OtClients of an OtServer, their messages held until reconnection (each
 * client then has one op in flight and the rest of its edits composed into its buffer). Yjs:
 * two Y.Docs exchanging state vectors and the updates each lacks. Also, for small n, OT without
 * composing: transforming the two sequences of n ops against each other (n² transforms), which
 * is what keeping every edit as its own op (for history or attribution) costs.
 */
import {
  apply as applyOp,
  OtClient,
  OtServer,
  transform,
  type RevisionRecord,
  type SubmitMessage,
  type TextOp,
} from '@weft/ot';
import * as Y from 'yjs';
import { timeMs, utf8Bytes } from '../lib/measure';
import type { Patch } from '../lib/traces';
import { applyPatchesToYText, newYDoc, patchOp, splice } from './ops';
import { typingSession } from './typing';

export interface OfflineSide {
  /** Making the n edits on each replica while offline (OT: includes composing the buffer). */
  readonly editMs: number;
  readonly reconcileMs: number;
  readonly bytes: number;
  readonly messages: number;
  readonly converged: boolean;
}

export interface OfflinePoint {
  readonly n: number;
  readonly ot: OfflineSide;
  readonly yjs: OfflineSide;
  /** null when not run (quadratic); see `skippedReason`. */
  readonly otOpByOp: OfflineSide | null;
}

/** Exponent k in cost ∝ n^k between two measurements. */
export const growth = (n1: number, v1: number, n2: number, v2: number): number =>
  Math.log(v2 / v1) / Math.log(n2 / n1);

const json = (value: unknown): number => utf8Bytes(JSON.stringify(value));
/** An acknowledgement needs no op: a transport sends the author only the record's identity. */
const ackBytes = (r: RevisionRecord): number =>
  json({ revision: r.revision, client: r.client, seq: r.seq });

function otComposed(base: string, editsA: readonly Patch[], editsB: readonly Patch[]): OfflineSide {
  const server = new OtServer(base);
  const clients = [
    new OtClient({ id: 'a', ...server.snapshot() }),
    new OtClient({ id: 'b', ...server.snapshot() }),
  ];
  const up: SubmitMessage[][] = [[], []];
  const editMs = timeMs(() => {
    [editsA, editsB].forEach((edits, i) => {
      const client = clients[i];
      for (const patch of edits) {
        const message = client?.applyLocal(patchOp(patch));
        if (message) up[i]?.push(message);
      }
    });
  });
  const sent: SubmitMessage[] = [];
  const delivered: { to: number; record: RevisionRecord }[] = [];
  const down: RevisionRecord[][] = [[], []];
  const reconcileMs = timeMs(() => {
    for (let busy = true; busy;) {
      busy = false;
      for (const queue of up) {
        for (let m = queue.shift(); m; m = queue.shift()) {
          sent.push(m);
          const record = server.receive(m);
          if (record) down.forEach((d) => d.push(record));
          busy = true;
        }
      }
      down.forEach((queue, i) => {
        for (let r = queue.shift(); r; r = queue.shift()) {
          delivered.push({ to: i, record: r });
          const { send } = clients[i]?.receive(r) ?? { send: null };
          if (send) up[i]?.push(send);
          busy = true;
        }
      });
    }
  });
  const ids = ['a', 'b'];
  const bytes =
    sent.reduce((sum, m) => sum + json(m), 0) +
    delivered.reduce(
      (sum, d) => sum + (d.record.client === ids[d.to] ? ackBytes(d.record) : json(d.record)),
      0,
    );
  const [a, b] = clients;
  return {
    editMs,
    reconcileMs,
    bytes,
    messages: sent.length + delivered.length,
    converged: a?.document === server.document && b?.document === server.document,
  };
}

function otOpByOp(base: string, editsA: readonly Patch[], editsB: readonly Patch[]): OfflineSide {
  const opsA = editsA.map(patchOp);
  const opsB = editsB.map(patchOp);
  const afterA: TextOp[] = []; // A's ops, rewritten to apply after all of B's
  const afterB = [...opsB]; // B's ops, rewritten to apply after all of A's
  const reconcileMs = timeMs(() => {
    for (const original of opsA) {
      let a = original;
      for (let j = 0; j < afterB.length; j++) {
        const b = afterB[j] ?? [];
        afterB[j] = transform(b, a, 'right');
        a = transform(a, b, 'left');
      }
      afterA.push(a);
    }
  });
  const docA = editsA.reduce((doc, p) => splice(doc, [p]), base);
  const docB = editsB.reduce((doc, p) => splice(doc, [p]), base);
  const finalA = afterB.reduce((doc, op) => applyOp(doc, op), docA);
  const finalB = afterA.reduce((doc, op) => applyOp(doc, op), docB);
  const opBytes = [...opsA, ...opsB].reduce((sum, op) => sum + json(op), 0);
  return {
    editMs: 0,
    reconcileMs,
    bytes: 2 * opBytes, // every op goes up to the server and down to the other replica
    messages: 2 * (opsA.length + opsB.length),
    converged: finalA === finalB,
  };
}

function yjsOffline(base: string, editsA: readonly Patch[], editsB: readonly Patch[]): OfflineSide {
  const origin = newYDoc(2);
  origin.getText().insert(0, base);
  const baseUpdate = Y.encodeStateAsUpdate(origin);
  const docs = [0, 1].map((agent) => {
    const doc = newYDoc(agent);
    Y.applyUpdate(doc, baseUpdate);
    return doc;
  });
  const [a, b] = docs;
  if (!a || !b) throw new Error('unreachable');
  const editMs = timeMs(() => {
    [editsA, editsB].forEach((edits, i) => {
      const doc = docs[i];
      if (!doc) return;
      const text = doc.getText();
      for (const patch of edits) doc.transact(() => applyPatchesToYText(text, [patch]));
    });
  });
  let bytes = 0;
  const reconcileMs = timeMs(() => {
    const vectorA = Y.encodeStateVector(a);
    const vectorB = Y.encodeStateVector(b);
    const forB = Y.encodeStateAsUpdate(a, vectorB);
    const forA = Y.encodeStateAsUpdate(b, vectorA);
    Y.applyUpdate(b, forB);
    Y.applyUpdate(a, forA);
    bytes = vectorA.byteLength + vectorB.byteLength + forA.byteLength + forB.byteLength;
  });
  return {
    editMs,
    reconcileMs,
    bytes,
    messages: 4,
    converged: a.getText().toString() === b.getText().toString(),
  };
}

/** A document of about 4,000 characters typed by the same model: every run starts from it. */
export const offlineBase = (): string =>
  typingSession(7, 0, 6000).reduce((doc, p) => splice(doc, [p]), '');

export function offlineDivergence(n: number, base: string, opByOpLimit: number): OfflinePoint {
  const length = base.length;
  const editsA = typingSession(1000 + n, length, n);
  const editsB = typingSession(2000 + n, length, n);
  return {
    n,
    ot: otComposed(base, editsA, editsB),
    yjs: yjsOffline(base, editsA, editsB),
    otOpByOp: n <= opByOpLimit ? otOpByOp(base, editsA, editsB) : null,
  };
}
