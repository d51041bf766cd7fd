/**
 * Bytes on the wire per keystroke: replaying a sequential trace one transaction at a time, the
 * OT op as JSON (alone, and inside this engine's SubmitMessage) against the Yjs update that
 * the transaction emits (V1 and V2 encodings).
 */
import type { SubmitMessage } from '@weft/ot';
import { mean, median, quantile, utf8Bytes } from '../lib/measure';
import type { SequentialTrace } from '../lib/traces';
import { applyPatchesToYText, newYDoc, txnOp } from './ops';

export interface SizeStats {
  readonly mean: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

export interface WireResult {
  readonly trace: string;
  readonly txns: number;
  readonly otOpJson: SizeStats;
  readonly otMessageJson: SizeStats;
  readonly yjsUpdateV1: SizeStats;
  readonly yjsUpdateV2: SizeStats;
}

const stats = (values: readonly number[]): SizeStats => ({
  mean: mean(values),
  median: median(values),
  p95: quantile(values, 0.95),
  max: values.reduce((a, b) => Math.max(a, b), 0),
});

export function wireSizes(trace: SequentialTrace): WireResult {
  const opSizes: number[] = [];
  const messageSizes: number[] = [];
  trace.txns.forEach((patches, i) => {
    const op = txnOp(patches);
    opSizes.push(utf8Bytes(JSON.stringify(op)));
    // A client id like a random 12-character one; seq and revision as they would be here.
    const message: SubmitMessage = { client: 'k3v9x2m7q1wz', seq: i + 1, revision: i, op };
    messageSizes.push(utf8Bytes(JSON.stringify(message)));
  });
  const v1: number[] = [];
  const v2: number[] = [];
  const doc = newYDoc();
  doc.on('update', (update: Uint8Array) => v1.push(update.byteLength));
  doc.on('updateV2', (update: Uint8Array) => v2.push(update.byteLength));
  const text = doc.getText();
  if (trace.startContent !== '') text.insert(0, trace.startContent);
  v1.length = 0;
  v2.length = 0;
  for (const patches of trace.txns) doc.transact(() => applyPatchesToYText(text, patches));
  return {
    trace: trace.name,
    txns: trace.txns.length,
    otOpJson: stats(opSizes),
    otMessageJson: stats(messageSizes),
    yjsUpdateV1: stats(v1),
    yjsUpdateV2: stats(v2),
  };
}
