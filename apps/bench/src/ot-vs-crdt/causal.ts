/**
 * The causal structure of a concurrent trace, as version vectors. In both traces every agent's
 * transactions form a chain (each one has seen the agent's previous one; `indexTrace` checks),
 * so "what a transaction had seen" is fully described by, for each agent, how many of its
 * transactions were in the parents' history.
 */
import type { ConcurrentTrace } from '../lib/traces';

export interface CausalIndex {
  readonly agents: number;
  /** Transaction indices of each agent, in order. */
  readonly byAgent: readonly (readonly number[])[];
  /** Position of each transaction within its agent's chain. */
  readonly seqInAgent: Int32Array;
  /** For transaction t and agent b: how many of b's transactions t's author had seen. */
  readonly seen: readonly Int32Array[];
  /**
   * `isCut[c]` is 1 when every transaction from c on had seen every transaction before c: the
   * history is linear there, so all replicas can start again from one document at c.
   */
  readonly isCut: Uint8Array;
}

/** How many of agent `b`'s transactions come before transaction index `c`. */
export function countBefore(index: CausalIndex, b: number, c: number): number {
  const chain = index.byAgent[b] ?? [];
  let lo = 0;
  let hi = chain.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((chain[mid] ?? Infinity) < c) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first cut at or after `c` (the trace length if none). */
export function nextCut(index: CausalIndex, c: number): number {
  let cut = c;
  while (cut < index.isCut.length && index.isCut[cut] !== 1) cut++;
  return cut;
}

export function indexTrace(trace: ConcurrentTrace): CausalIndex {
  const agents = trace.txns.reduce((n, t) => Math.max(n, t.agent + 1), trace.numAgents);
  const byAgent: number[][] = Array.from({ length: agents }, () => []);
  const seqInAgent = new Int32Array(trace.txns.length);
  const seen: Int32Array[] = [];
  /** Version vector including the transaction itself. */
  const after: Int32Array[] = [];
  trace.txns.forEach((txn, t) => {
    const vector = new Int32Array(agents);
    for (const parent of txn.parents) {
      const parentVector = after[parent];
      if (!parentVector) throw new Error(`txn ${t}: parent ${parent} is not an earlier txn`);
      for (let b = 0; b < agents; b++) vector[b] = Math.max(vector[b] ?? 0, parentVector[b] ?? 0);
    }
    const chain = byAgent[txn.agent];
    if (!chain) throw new Error(`txn ${t}: agent ${txn.agent} out of range`);
    if (vector[txn.agent] !== chain.length) {
      throw new Error(
        `txn ${t}: agent ${txn.agent} had not seen its own previous transaction; ` +
          'version vectors cannot describe this trace',
      );
    }
    seen.push(vector);
    seqInAgent[t] = chain.length;
    chain.push(t);
    const own = vector.slice();
    own[txn.agent] = chain.length;
    after.push(own);
  });
  return { agents, byAgent, seqInAgent, seen, isCut: findCuts(seen, byAgent, trace.txns.length) };
}

function findCuts(
  seen: readonly Int32Array[],
  byAgent: readonly (readonly number[])[],
  n: number,
): Uint8Array {
  const agents = byAgent.length;
  const isCut = new Uint8Array(n + 1);
  // Walk backwards keeping, per agent, the least any later txn had seen of it.
  const minSeen = new Int32Array(agents).fill(2 ** 30);
  const before = byAgent.map((chain) => chain.length);
  isCut[n] = 1;
  for (let c = n - 1; c >= 0; c--) {
    const vector = seen[c];
    for (let b = 0; b < agents; b++) minSeen[b] = Math.min(minSeen[b] ?? 0, vector?.[b] ?? 0);
    // before[b] becomes the number of b's txns with index < c
    for (let b = 0; b < agents; b++) {
      const chain = byAgent[b] ?? [];
      while ((before[b] ?? 0) > 0 && (chain[(before[b] ?? 0) - 1] ?? -1) >= c)
        before[b] = (before[b] ?? 0) - 1;
    }
    let cut = 1;
    for (let b = 0; b < agents; b++) if ((minSeen[b] ?? 0) < (before[b] ?? 0)) cut = 0;
    isCut[c] = cut;
  }
  return isCut;
}

/** Whether txn `x` is in the history txn `t`'s author had seen. */
export function hasSeen(index: CausalIndex, t: number, x: number, agentOfX: number): boolean {
  return (index.seqInAgent[x] ?? Infinity) < (index.seen[t]?.[agentOfX] ?? 0);
}
