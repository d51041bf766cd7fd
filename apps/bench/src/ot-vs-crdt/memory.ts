/**
 * Memory after loading each trace: what stays on the JS heap (heapUsed, after forced
 * GC; see lib/measure) for the structures each side keeps.
 * - OT client: just the document string.
 * - OT server: the document plus its revision history (every op), needed to transform ops
 *   that arrive late and to let clients catch up.
 * - Yjs, edited live: the Y.Doc as it is after replaying every edit.
 * - Yjs, loaded: a fresh Y.Doc loaded from the encoded state (how a relay loads from storage).
 */
import { apply, OtServer, type TextOp } from '@weft/ot';
import * as Y from 'yjs';
import { retainedBytes } from '../lib/measure';
import type { SequentialTrace } from '../lib/traces';
import { applyPatchesToYText, newYDoc, txnOp } from './ops';

export interface MemoryResult {
  readonly trace: string;
  readonly txns: number;
  readonly otClientBytes: number;
  readonly otServerBytes: number;
  readonly yjsLiveBytes: number;
  readonly yjsLoadedBytes: number;
}

export function memoryAfterLoading(trace: SequentialTrace): MemoryResult {
  const ops: TextOp[] = trace.txns.map(txnOp);
  const otClientBytes = retainedBytes(() => {
    let doc = trace.startContent;
    for (const op of ops) doc = apply(doc, op);
    // Flatten, as an editor would hold it: a rope of slices would count the slicing history.
    return doc.split('').join('');
  });
  const otServerBytes = retainedBytes(() => {
    const server = new OtServer(trace.startContent);
    ops.forEach((op, i) => server.receive({ client: 'a', seq: i + 1, revision: i, op }));
    return server;
  });
  const buildLive = (): Y.Doc => {
    const doc = newYDoc();
    const text = doc.getText();
    if (trace.startContent !== '') text.insert(0, trace.startContent);
    for (const patches of trace.txns) doc.transact(() => applyPatchesToYText(text, patches));
    return doc;
  };
  const yjsLiveBytes = retainedBytes(buildLive);
  const state = Y.encodeStateAsUpdate(buildLive());
  const yjsLoadedBytes = retainedBytes(() => {
    const doc = newYDoc(1); // not the id in `state`, which Yjs would take for a clash
    Y.applyUpdate(doc, state);
    doc.getText().toString(); // make sure the type is materialised
    return doc;
  });
  return {
    trace: trace.name,
    txns: trace.txns.length,
    otClientBytes,
    otServerBytes,
    yjsLiveBytes,
    yjsLoadedBytes,
  };
}
