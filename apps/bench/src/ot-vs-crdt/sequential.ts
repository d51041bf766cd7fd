/**
 * Sequential replay: the same edits applied by plain string splicing, this OT type, the
 * reference OT type and Yjs (one transaction per trace transaction). Ops are built from the
 * patches before timing; each implementation is warmed up on a prefix first, then the
 * implementations take turns, and each reports its median time.
 */
import { apply, codePointLength, type TextOp } from '@weft/ot';
import { type as reference } from 'ot-text-unicode';
import * as Y from 'yjs';
import type { SequentialTrace } from '../lib/traces';
import { median, time, utf8Bytes } from '../lib/measure';
import { applyPatchesToYText, newYDoc, splice, txnOp } from './ops';

export interface SequentialRun {
  readonly impl: string;
  /** Median CPU time (see lib/measure), and the median wall-clock time for reference. */
  readonly ms: number;
  readonly wallMs: number;
  readonly runs: number;
  readonly txnsPerSec: number;
  /** The result equals the trace's endContent (or, if truncated, the string-splice result). */
  readonly correct: boolean;
}

export interface SequentialResult {
  readonly trace: string;
  readonly txns: number;
  readonly patches: number;
  readonly truncated: boolean;
  readonly finalChars: number;
  readonly finalUtf8Bytes: number;
  /** Y.encodeStateAsUpdate of the replayed doc (what a relay would store), V1 and V2. */
  readonly yjsStateBytes: number;
  readonly yjsStateBytesV2: number;
  /** JSON of every op, i.e. the history an OT server keeps to transform late ops. */
  readonly otHistoryJsonBytes: number;
  readonly runs: readonly SequentialRun[];
}

interface Impl {
  readonly name: string;
  replay(txns: number): string;
}

function implementations(trace: SequentialTrace, ops: readonly TextOp[]): Impl[] {
  return [
    {
      name: 'string splice',
      replay: (n) => {
        let doc = trace.startContent;
        for (let i = 0; i < n; i++) doc = splice(doc, trace.txns[i] ?? []);
        return doc;
      },
    },
    {
      name: '@weft/ot apply',
      replay: (n) => {
        let doc = trace.startContent;
        for (let i = 0; i < n; i++) doc = apply(doc, ops[i] ?? []);
        return doc;
      },
    },
    {
      name: 'ot-text-unicode apply',
      replay: (n) => {
        let doc = trace.startContent;
        for (let i = 0; i < n; i++) doc = reference.apply(doc, ops[i] ?? []);
        return doc;
      },
    },
    {
      name: 'Yjs (txn per edit)',
      replay: (n) => {
        const doc = newYDoc();
        const text = doc.getText();
        if (trace.startContent !== '') text.insert(0, trace.startContent);
        for (let i = 0; i < n; i++) {
          doc.transact(() => {
            applyPatchesToYText(text, trace.txns[i] ?? []);
          });
        }
        return text.toString();
      },
    },
  ];
}

export function replaySequential(
  trace: SequentialTrace,
  options: { repeats: number; budgetMs: number },
): SequentialResult {
  if (trace.astral) {
    // String splicing and Y.Text count UTF-16 units; these traces would need position mapping.
    throw new Error(`Trace ${trace.name} has astral characters; not supported by this replay`);
  }
  const ops = trace.txns.map(txnOp);
  const n = trace.txns.length;
  const impls = implementations(trace, ops);
  const expected = trace.endContent ?? impls[0]?.replay(n) ?? '';
  const warmup = Math.min(n, 2000);
  for (const impl of impls) impl.replay(warmup);
  // Round robin rather than impl by impl, so a change in machine load over the run hits every
  // implementation alike; an implementation stops repeating once it has used its time budget.
  const times: number[][] = impls.map(() => []);
  const wallTimes: number[][] = impls.map(() => []);
  const correct = impls.map(() => true);
  for (let round = 0; round < options.repeats; round++) {
    impls.forEach((impl, i) => {
      const spent = (times[i] ?? []).reduce((a, b) => a + b, 0);
      if (round > 0 && spent >= options.budgetMs) return;
      let result = '';
      const timing = time(() => {
        result = impl.replay(n);
      });
      times[i]?.push(timing.cpuMs);
      wallTimes[i]?.push(timing.wallMs);
      if (result !== expected) correct[i] = false;
    });
  }
  const runs = impls.map((impl, i): SequentialRun => {
    const ms = median(times[i] ?? []);
    return {
      impl: impl.name,
      ms,
      wallMs: median(wallTimes[i] ?? []),
      runs: times[i]?.length ?? 0,
      txnsPerSec: n / (ms / 1000),
      correct: correct[i] ?? false,
    };
  });
  const ydoc = newYDoc();
  const text = ydoc.getText();
  if (trace.startContent !== '') text.insert(0, trace.startContent);
  for (const patches of trace.txns) ydoc.transact(() => applyPatchesToYText(text, patches));
  return {
    trace: trace.name,
    txns: n,
    patches: trace.txns.reduce((sum, t) => sum + t.length, 0),
    truncated: trace.endContent === null,
    finalChars: codePointLength(expected),
    finalUtf8Bytes: utf8Bytes(expected),
    yjsStateBytes: Y.encodeStateAsUpdate(ydoc).byteLength,
    yjsStateBytesV2: Y.encodeStateAsUpdateV2(ydoc).byteLength,
    otHistoryJsonBytes: ops.reduce((sum, op) => sum + utf8Bytes(JSON.stringify(op)), 0),
    runs,
  };
}
