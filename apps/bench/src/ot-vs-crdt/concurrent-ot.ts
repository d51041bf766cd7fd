/**
 * Replaying a concurrent trace through the OT engine: each agent is an OtClient of one
 * OtServer, and the trace's causal graph decides what each client has seen when it edits.
 *
 * The engine is client/server: a client receives the server's revisions strictly in order, has
 * at most one op in flight, and buffers later edits until that op is acknowledged. So a
 * transaction is expressible only if, when it is made, its author can hold exactly the
 * transaction's causal history: some prefix of the server's revisions plus its own edits.
 *
 * Scheduling (chosen to express as much as possible): clients' messages reach the server at
 * once, so the server sequences ops in trace order where it can; a client is handed the next
 * server record as soon as its own next transaction has seen everything in it (its
 * acknowledgements always). When a transaction needs a state no client can be in, the replay
 * stops there and says which transaction and why — it does not guess.
 *
 * `planOtReplay` runs this once with all the bookkeeping and records the sequence of engine
 * calls; `runOtPlan` repeats exactly those calls on fresh objects, so the time measured is the
 * engine's work alone.
 */
import {
  isNoop,
  OtClient,
  OtServer,
  type RevisionRecord,
  type SubmitMessage,
  type TextOp,
} from '@weft/ot';
import type { ConcurrentTrace } from '../lib/traces';
import { timeMs } from '../lib/measure';
import { countBefore, hasSeen, type CausalIndex } from './causal';
import { txnOp } from './ops';

export type OtAction =
  | { readonly kind: 'edit'; readonly agent: number; readonly op: TextOp }
  | { readonly kind: 'deliver'; readonly agent: number };

export interface OtPlan {
  /** The first transaction replayed, at a cut of the trace, and the document there. */
  readonly from: number;
  readonly base: string;
  readonly actions: readonly OtAction[];
  readonly agents: number;
  /** Transactions replayed (all of them unless `stopped`). */
  readonly replayedTxns: number;
  /** Why the replay could not go on, naming the transaction; null if it finished. */
  readonly stopped: (Stop & { readonly txn: number; readonly agent: number }) | null;
  readonly serverRevisions: number;
  /** Most transactions a client composed into one message while waiting for an ack. */
  readonly maxTxnsPerMessage: number;
  readonly final: string;
}

/**
 * Why a transaction cannot be replayed: its author would have to have received a later server
 * revision without an earlier one (`out-of-order`), part of one revision (`partial-revision`:
 * another client's buffered edits arrive as one composed op), or an edit another client has not
 * been able to send yet (`still-buffered`).
 */
export type StopKind =
  'out-of-order' | 'partial-revision' | 'still-buffered' | 'does-not-fit' | 'other';

export interface Stop {
  readonly kind: StopKind;
  readonly reason: string;
}

const clientId = (agent: number): string => `agent-${agent}`;

/**
 * Plans the replay of `trace` from transaction `from` (a cut: see CausalIndex.isCut), where
 * every replica holds `base`, until the end of the trace or the first inexpressible step.
 */
export function planOtReplay(
  trace: ConcurrentTrace,
  index: CausalIndex,
  from = 0,
  base = '',
): OtPlan {
  const agents = index.agents;
  const agentOf = (txn: number): number => trace.txns[txn]?.agent ?? -1;
  const server = new OtServer(base);
  const clients = Array.from(
    { length: agents },
    (_, a) => new OtClient({ id: clientId(a), revision: 0, document: base }),
  );
  // Every record goes to every client in server order, so one log and a read position per
  // client stand in for the per-client queues.
  const log: RevisionRecord[] = [];
  const readAt = new Int32Array(agents);
  const head = (a: number): RevisionRecord | undefined => log[readAt[a] ?? log.length];
  const txnsAt: number[][] = []; // server revision -> transactions in it
  const revisionOf = new Int32Array(trace.txns.length).fill(-1);
  const inflight: number[][] = clients.map(() => []);
  const buffer: number[][] = clients.map(() => []);
  // Everything before the cut is in `base`: every client has seen it.
  const atCut = Int32Array.from({ length: agents }, (_, b) => countBefore(index, b, from));
  const received = clients.map(() => atCut.slice());
  const nextOf = atCut.slice();
  const actions: OtAction[] = [];
  let maxTxnsPerMessage = 0;

  const nextTxn = (a: number): number | undefined => index.byAgent[a]?.[nextOf[a] ?? 0];
  const sentBy = (a: number, message: SubmitMessage): void => {
    const record = server.receive(message);
    if (!record) throw new Error('server dropped a message it had not seen');
    const txns = inflight[a] ?? [];
    maxTxnsPerMessage = Math.max(maxTxnsPerMessage, txns.length);
    txnsAt[record.revision] = txns;
    for (const x of txns) revisionOf[x] = record.revision;
    log.push(record);
  };
  /** May client `a` take `record` now without seeing more than its next transaction had? */
  const allowed = (a: number, record: RevisionRecord): boolean => {
    const next = nextTxn(a);
    if (record.client === clientId(a) || next === undefined) return true;
    return (txnsAt[record.revision] ?? []).every((x) => hasSeen(index, next, x, agentOf(x)));
  };
  const deliver = (a: number): void => {
    const record = head(a);
    const client = clients[a];
    if (!record || !client) return;
    readAt[a] = (readAt[a] ?? 0) + 1;
    actions.push({ kind: 'deliver', agent: a });
    const { send } = client.receive(record);
    if (record.client !== clientId(a)) {
      const counts = received[a];
      for (const x of txnsAt[record.revision] ?? []) {
        if (counts)
          counts[agentOf(x)] = Math.max(counts[agentOf(x)] ?? 0, (index.seqInAgent[x] ?? 0) + 1);
      }
      return;
    }
    inflight[a] = [];
    if (send) {
      inflight[a] = buffer[a] ?? [];
      buffer[a] = [];
      sentBy(a, send);
    }
  };
  const pump = (): void => {
    for (let progress = true; progress;) {
      progress = false;
      for (let a = 0; a < agents; a++) {
        for (let next = head(a); next && allowed(a, next); next = head(a)) {
          deliver(a);
          progress = true;
        }
      }
    }
  };
  /** First unseen transaction in a record, for explanations. */
  const firstUnseen = (
    record: RevisionRecord | undefined,
    by: number | undefined,
  ): number | undefined =>
    by === undefined
      ? undefined
      : (txnsAt[record?.revision ?? -1] ?? []).find((x) => !hasSeen(index, by, x, agentOf(x)));
  const explain = (t: number, a: number, x: number, b: number): Stop => {
    const revision = revisionOf[x] ?? -1;
    const seenBy = `txn ${t} (agent ${a}) had seen txn ${x} (agent ${b})`;
    if (revision >= 0) {
      const blocking = head(a);
      const y = firstUnseen(blocking, t);
      if (blocking?.revision === revision) {
        const txns = txnsAt[revision] ?? [];
        return {
          kind: 'partial-revision',
          reason:
            `${seenBy} but not txn ${y ?? '?'}, and both reached the server as one op ` +
            `(revision ${revision}, txns ${txns[0] ?? '?'}–${txns.at(-1) ?? '?'}, composed while ` +
            `agent ${b} awaited an acknowledgement); a client cannot receive part of a revision`,
        };
      }
      return {
        kind: 'out-of-order',
        reason:
          `${seenBy}, sequenced as server revision ${revision}, but not txn ${y ?? '?'} ` +
          `(agent ${y === undefined ? '?' : agentOf(y)}) at the earlier revision ` +
          `${blocking?.revision ?? '?'}; a client receives revisions in order`,
      };
    }
    const blocking = head(b);
    const y = firstUnseen(blocking, nextTxn(b));
    return {
      kind: 'still-buffered',
      reason:
        `${seenBy}, which is still in agent ${b}'s buffer: agent ${b} may send it only once its ` +
        `op in flight is acknowledged, and that acknowledgement is queued behind revision ` +
        `${blocking?.revision ?? '?'} (txn ${y ?? '?'}), which agent ${b}'s next txn ` +
        `${nextTxn(b) ?? '?'} had not seen`,
    };
  };

  let stopped: OtPlan['stopped'] = null;
  let replayed = 0;
  for (let t = from; t < trace.txns.length; t++) {
    const txn = trace.txns[t];
    const client = clients[txn?.agent ?? -1];
    const have = received[txn?.agent ?? -1];
    const need = index.seen[t];
    if (!txn || !client || !have || !need) throw new Error(`txn ${t}: bad agent`);
    const a = txn.agent;
    pump();
    for (let b = 0; b < agents && !stopped; b++) {
      if ((have[b] ?? 0) < (need[b] ?? 0)) {
        const x = index.byAgent[b]?.[have[b] ?? 0] ?? -1;
        stopped = { txn: t, agent: a, ...explain(t, a, x, b) };
      } else if ((have[b] ?? 0) > (need[b] ?? 0)) {
        stopped = {
          txn: t,
          agent: a,
          kind: 'other',
          reason: `txn ${t}: agent ${a} has already seen more of agent ${b} than this txn had`,
        };
      }
    }
    if (stopped) break;
    const op = txnOp(txn.patches);
    let message;
    try {
      message = client.applyLocal(op);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      stopped = {
        txn: t,
        agent: a,
        kind: 'does-not-fit',
        reason: `txn ${t}'s edit does not fit agent ${a}'s document: ${why}`,
      };
      break;
    }
    actions.push({ kind: 'edit', agent: a, op });
    have[a] = (have[a] ?? 0) + 1;
    nextOf[a] = (nextOf[a] ?? 0) + 1;
    if (message) {
      inflight[a] = [t];
      sentBy(a, message);
    } else if (!isNoop(op)) {
      buffer[a]?.push(t);
    }
    replayed++;
  }
  if (!stopped) pump();
  return {
    from,
    base,
    actions,
    agents,
    replayedTxns: replayed,
    stopped,
    serverRevisions: server.revision,
    maxTxnsPerMessage,
    final: server.document,
  };
}

/** Replays a plan's engine calls on fresh objects; returns the time and the server's document. */
export function runOtPlan(plan: OtPlan): { ms: number; final: string; server: OtServer } {
  const server = new OtServer(plan.base);
  const clients = Array.from(
    { length: plan.agents },
    (_, a) => new OtClient({ id: clientId(a), revision: 0, document: plan.base }),
  );
  const log: RevisionRecord[] = [];
  const readAt = new Int32Array(plan.agents);
  const submit = (message: SubmitMessage): void => {
    const record = server.receive(message);
    if (record) log.push(record);
  };
  const ms = timeMs(() => {
    for (const action of plan.actions) {
      const client = clients[action.agent];
      if (!client) throw new Error(`no agent ${action.agent}`);
      if (action.kind === 'edit') {
        const message = client.applyLocal(action.op);
        if (message) submit(message);
      } else {
        const position = readAt[action.agent] ?? 0;
        const record = log[position];
        if (!record) throw new Error('plan delivers a record that was never sent');
        readAt[action.agent] = position + 1;
        const { send } = client.receive(record);
        if (send) submit(send);
      }
    }
  });
  return { ms, final: server.document, server };
}
