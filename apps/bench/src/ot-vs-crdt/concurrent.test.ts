/** The concurrent replay on small hand-made traces whose outcome is known. */
import { describe, expect, it } from 'vitest';
import type { ConcurrentTrace, ConcurrentTxn } from '../lib/traces';
import { indexTrace } from './causal';
import { compareConcurrent } from './concurrent';

const trace = (txns: ConcurrentTxn[], endContent: string | null): ConcurrentTrace => ({
  kind: 'concurrent',
  name: 'test',
  endContent,
  numAgents: 2,
  txns,
  astral: false,
});

describe('concurrent replay', () => {
  it('replays an expressible history through both Yjs and OT', () => {
    const t = trace(
      [
        { agent: 0, parents: [], patches: [[0, 0, 'ab']] },
        { agent: 0, parents: [0], patches: [[2, 0, 'c']] },
        { agent: 1, parents: [0], patches: [[0, 0, 'X']] }, // concurrent with txn 1
        { agent: 0, parents: [1, 2], patches: [[4, 0, '!']] },
      ],
      'Xabc!',
    );
    const result = compareConcurrent(t);
    expect(result.concurrentTxns).toBe(1);
    expect(result.yjs.matchesEndContent).toBe(true);
    expect(result.ot).toMatchObject({
      replayedTxns: 4,
      skippedTxns: 0,
      matchesEndContent: true,
      stops: [],
    });
  });

  it('names the step OT cannot express: part of a composed revision', () => {
    const t = trace(
      [
        { agent: 0, parents: [], patches: [[0, 0, 'a']] },
        { agent: 1, parents: [], patches: [[0, 0, 'x']] }, // sequenced after txn 0, unseen by 1
        { agent: 1, parents: [1], patches: [[1, 0, 'y']] }, // buffered: ack is behind txn 0
        { agent: 1, parents: [2], patches: [[2, 0, 'z']] }, // buffered, composed with y
        { agent: 1, parents: [3, 0], patches: [[4, 0, '!']] }, // sees txn 0: buffer sent as one op
        { agent: 0, parents: [0, 2], patches: [[0, 0, 'Q']] }, // saw y but not z
      ],
      null,
    );
    const result = compareConcurrent(t);
    expect(result.ot.stops).toHaveLength(1);
    expect(result.ot.stops[0]).toMatchObject({ txn: 5, agent: 0, kind: 'partial-revision' });
    expect(result.ot.stops[0]?.reason).toMatch(
      /txn 5 \(agent 0\) had seen txn 2 \(agent 1\) but not txn 3/,
    );
    expect(result.ot.replayedTxns).toBe(5);
    expect(result.ot.skippedTxns).toBe(1);
  });

  it('finds the cuts where the history is linear again', () => {
    const t = trace(
      [
        { agent: 0, parents: [], patches: [[0, 0, 'a']] },
        { agent: 1, parents: [], patches: [[0, 0, 'b']] },
        { agent: 0, parents: [0, 1], patches: [[0, 0, 'c']] },
        { agent: 1, parents: [2], patches: [[0, 0, 'd']] },
      ],
      null,
    );
    // Txn 1 had not seen txn 0, so 1 is no cut; from 2 on everything had seen all before.
    expect(Array.from(indexTrace(t).isCut)).toEqual([1, 0, 1, 1, 1]);
  });

  it('refuses a trace where an agent forks its own history', () => {
    const t = trace(
      [
        { agent: 0, parents: [], patches: [[0, 0, 'a']] },
        { agent: 0, parents: [], patches: [[0, 0, 'b']] },
      ],
      null,
    );
    expect(() => indexTrace(t)).toThrow(/had not seen its own previous transaction/);
  });
});
