/**
 * Replaying a concurrent trace through Yjs: one Y.Doc per agent. Before an agent makes a
 * transaction, its doc integrates exactly the updates of the transactions that transaction had
 * seen (its causal history), so trace positions refer to the right document; the transaction's
 * own update is kept for the other agents. Then every update is merged into one fresh doc.
 */
import * as Y from 'yjs';
import type { ConcurrentTrace } from '../lib/traces';
import { timeMs } from '../lib/measure';
import type { CausalIndex } from './causal';
import { applyPatchesToYText, newYDoc } from './ops';

export interface YjsConcurrentResult {
  /** Every agent's local edits plus integrating what each had seen. */
  readonly replayMs: number;
  /** Building one doc from all transactions' updates, in trace order. */
  readonly mergeMs: number;
  readonly updateBytes: number;
  readonly stateBytes: number;
  readonly final: string;
  readonly doc: Y.Doc;
  /** Each transaction's update, by transaction index. */
  readonly updates: readonly Uint8Array[];
}

const LOCAL = Symbol('local edit');

export function replayYjs(trace: ConcurrentTrace, index: CausalIndex): YjsConcurrentResult {
  const updates: Uint8Array[] = [];
  let replayMs = 0;
  replayMs = timeMs(() => {
    const docs = Array.from({ length: index.agents }, (_, a) => {
      return newYDoc(a);
    });
    const integrated = docs.map(() => new Int32Array(index.agents));
    // A local transaction's update is the message its agent would send.
    const capture = (update: Uint8Array, origin: unknown): void => {
      if (origin === LOCAL) updates.push(update);
    };
    docs.forEach((doc) => doc.on('update', capture));
    trace.txns.forEach((txn, t) => {
      const doc = docs[txn.agent];
      const have = integrated[txn.agent];
      const need = index.seen[t];
      if (!doc || !have || !need) throw new Error(`txn ${t}: bad agent ${txn.agent}`);
      // Integrate what this txn had seen and the doc lacks, in trace (causal) order so Yjs
      // never has to hold updates back for missing dependencies.
      const missing: number[] = [];
      for (let b = 0; b < index.agents; b++) {
        if ((have[b] ?? 0) > (need[b] ?? 0)) {
          throw new Error(`txn ${t}: agent ${txn.agent} has already seen more than this txn had`);
        }
        const chain = index.byAgent[b] ?? [];
        for (let k = have[b] ?? 0; k < (need[b] ?? 0); k++) missing.push(chain[k] ?? -1);
        have[b] = need[b] ?? 0;
      }
      missing.sort((x, y) => x - y);
      for (const x of missing) {
        const update = updates[x];
        if (!update) throw new Error(`txn ${t}: the update of txn ${x} is missing`);
        Y.applyUpdate(doc, update);
      }
      doc.transact(() => {
        applyPatchesToYText(doc.getText(), txn.patches);
      }, LOCAL);
      // A transaction that changes nothing emits no update; keep indices aligned.
      if (updates.length === t) updates.push(new Uint8Array(0));
      have[txn.agent] = (have[txn.agent] ?? 0) + 1;
    });
  });
  const doc = new Y.Doc();
  const mergeMs = timeMs(() => {
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
  });
  return {
    replayMs,
    mergeMs,
    updateBytes: updates.reduce((sum, u) => sum + u.byteLength, 0),
    stateBytes: Y.encodeStateAsUpdate(doc).byteLength,
    final: doc.getText().toString(),
    doc,
    updates,
  };
}
