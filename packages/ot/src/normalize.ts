/** Canonical form and small predicates. */
import { OpBuilder } from './builder';
import type { Component, TextOp } from './types';
import { checkOp } from './validate';

/**
 * The canonical form of `op`: neighbours of the same kind merged, trailing retain dropped.
 * Idempotent, and it never changes what the op does to a document.
 */
export function normalize(op: readonly Component[]): TextOp {
  checkOp(op);
  const out = new OpBuilder();
  for (const c of op) out.push(c);
  return out.build();
}

/** True when the op changes nothing (for a valid op: it has no inserts or deletes). */
export function isNoop(op: readonly Component[]): boolean {
  checkOp(op);
  return op.every((c) => typeof c === 'number');
}
