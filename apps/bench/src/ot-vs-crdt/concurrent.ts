/**
 * The concurrent-trace comparison: the whole trace through Yjs, and as much of it as the OT
 * client/server protocol can express. Where OT cannot go on, the replay skips to the next cut
 * (a point where the history is linear again; see CausalIndex.isCut), restarting every replica
 * from the document there, and the skipped stretch is reported with the reason — it is never
 * replayed approximately.
 */
import * as Y from 'yjs';
import type { ConcurrentTrace } from '../lib/traces';
import { indexTrace, nextCut, type CausalIndex } from './causal';
import { planOtReplay, runOtPlan, type OtPlan, type Stop, type StopKind } from './concurrent-ot';
import { replayYjs } from './concurrent-yjs';

export interface ConcurrentResult {
  readonly trace: string;
  readonly txns: number;
  readonly agents: number;
  /** Transactions that had not seen every earlier one (concurrent with something). */
  readonly concurrentTxns: number;
  readonly yjs: {
    readonly replayMs: number;
    readonly mergeMs: number;
    readonly txnsPerSec: number;
    readonly matchesEndContent: boolean | null;
    readonly updateBytes: number;
    readonly stateBytes: number;
  };
  readonly ot: {
    readonly replayedTxns: number;
    readonly skippedTxns: number;
    readonly ms: number;
    readonly txnsPerSec: number;
    /** Whether the last stretch reached the end of the trace with the expected document. */
    readonly matchesEndContent: boolean | null;
    readonly serverRevisions: number;
    readonly maxTxnsPerMessage: number;
    /** How many stops of each kind (see StopKind). */
    readonly stopKinds: Readonly<Partial<Record<StopKind, number>>>;
    readonly stops: readonly (Stop & { txn: number; agent: number; resumeAt: number })[];
  };
}

/** The document at cut `c`, read from a Y.Doc fed the trace's updates in order. */
function contentAtCuts(updates: readonly Uint8Array[]): (c: number) => string {
  const doc = new Y.Doc();
  let applied = 0;
  return (c) => {
    if (c < applied) throw new Error('cuts must be visited in order');
    for (; applied < c; applied++) {
      const update = updates[applied];
      if (update) Y.applyUpdate(doc, update);
    }
    return doc.getText().toString();
  };
}

export function compareConcurrent(trace: ConcurrentTrace): ConcurrentResult {
  const index: CausalIndex = indexTrace(trace);
  const n = trace.txns.length;
  const yjs = replayYjs(trace, index);
  const matches = (s: string): boolean | null =>
    trace.endContent === null ? null : s === trace.endContent;

  const contentAt = contentAtCuts(yjs.updates);
  const plans: OtPlan[] = [];
  const stops: ConcurrentResult['ot']['stops'][number][] = [];
  let skipped = 0;
  for (let from = 0; from < n;) {
    const plan = planOtReplay(trace, index, from, contentAt(from));
    plans.push(plan);
    if (!plan.stopped) break;
    const resumeAt = nextCut(index, plan.stopped.txn + 1);
    stops.push({ ...plan.stopped, resumeAt });
    skipped += resumeAt - plan.stopped.txn;
    from = resumeAt;
  }
  let ms = 0;
  let final: string | null = null;
  for (const plan of plans) {
    const run = runOtPlan(plan);
    if (run.final !== plan.final) throw new Error('OT replay is not deterministic');
    ms += run.ms;
    final = plan.stopped ? null : run.final;
  }
  const replayed = plans.reduce((sum, p) => sum + p.replayedTxns, 0);
  const stopKinds: Partial<Record<StopKind, number>> = {};
  for (const stop of stops) stopKinds[stop.kind] = (stopKinds[stop.kind] ?? 0) + 1;
  const concurrentTxns = index.seen.filter((v, t) => v.reduce((a, b) => a + b, 0) !== t).length;
  return {
    trace: trace.name,
    txns: n,
    agents: index.agents,
    concurrentTxns,
    yjs: {
      replayMs: yjs.replayMs,
      mergeMs: yjs.mergeMs,
      txnsPerSec: n / (yjs.replayMs / 1000),
      matchesEndContent: matches(yjs.final),
      updateBytes: yjs.updateBytes,
      stateBytes: yjs.stateBytes,
    },
    ot: {
      replayedTxns: replayed,
      skippedTxns: skipped,
      ms,
      txnsPerSec: replayed / (ms / 1000),
      matchesEndContent: final === null ? null : matches(final),
      serverRevisions: plans.reduce((sum, p) => sum + p.serverRevisions, 0),
      maxTxnsPerMessage: Math.max(0, ...plans.map((p) => p.maxTxnsPerMessage)),
      stopKinds,
      stops,
    },
  };
}
