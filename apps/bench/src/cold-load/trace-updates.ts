/**
 * The automerge-paper trace as Yjs updates: one Y.Doc transaction per trace transaction, each
 * captured as its own update, exactly what a client typing the paper would have sent.
 */
import * as Y from 'yjs';
import { loadSequential } from '../lib/traces';

export interface TraceDocument {
  readonly updates: readonly Uint8Array[];
  /** Final text (checked against the trace's endContent when not truncated). */
  readonly text: string;
  /** Sum of the updates' sizes. */
  readonly updateBytes: number;
  /** `Y.encodeStateAsUpdate` of the final document. */
  readonly state: Uint8Array;
}

export function traceDocument(tracesDir: string, name: string, limit: number): TraceDocument {
  const trace = loadSequential(tracesDir, name, limit);
  if (trace.astral) throw new Error(`${name}: astral characters; positions would need mapping`);
  const doc = new Y.Doc();
  const text = doc.getText('content');
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  if (trace.startContent !== '') text.insert(0, trace.startContent);
  for (const patches of trace.txns) {
    doc.transact(() => {
      for (const [position, deleteCount, inserted] of patches) {
        if (deleteCount > 0) text.delete(position, deleteCount);
        if (inserted !== '') text.insert(position, inserted);
      }
    });
  }
  const result = text.toString();
  if (trace.endContent !== null && result !== trace.endContent) {
    throw new Error(`${name}: replay does not reach endContent`);
  }
  return {
    updates,
    text: result,
    updateBytes: updates.reduce((sum, u) => sum + u.byteLength, 0),
    state: Y.encodeStateAsUpdate(doc),
  };
}
