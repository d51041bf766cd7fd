/**
 * Applying an op to a document string. Pure: the result is assembled from pieces and joined at
 * the end, so an op that does not fit the document throws before anything is produced.
 */
import { deleteLength } from './component';
import { InvalidOpError } from './errors';
import type { Component } from './types';
import { advanceCodePoints, codePointLength } from './unicode';
import { checkOp } from './validate';

const pastEnd = (what: string, index: number, doc: string): InvalidOpError =>
  new InvalidOpError(
    `Op does not fit the document: the ${what} at component ${index} runs past the end ` +
      `(the document has ${codePointLength(doc)} characters)`,
  );

/**
 * The document after `op`. Throws `InvalidOpError` if the op is malformed, retains or deletes
 * past the end of `doc`, or deletes text (`{ d: "…" }`) that differs from what is there.
 */
export function apply(doc: string, op: readonly Component[]): string {
  if (typeof doc !== 'string') throw new InvalidOpError('Document snapshot must be a string');
  checkOp(op);
  const pieces: string[] = [];
  let at = 0;
  op.forEach((c, index) => {
    if (typeof c === 'string') {
      pieces.push(c);
      return;
    }
    const end = advanceCodePoints(doc, at, typeof c === 'number' ? c : deleteLength(c.d));
    if (end < 0) throw pastEnd(typeof c === 'number' ? 'retain' : 'delete', index, doc);
    if (typeof c === 'number') pieces.push(doc.slice(at, end));
    else if (typeof c.d === 'string' && doc.slice(at, end) !== c.d) {
      throw new InvalidOpError(
        `Op does not fit the document: component ${index} deletes ${JSON.stringify(c.d)} ` +
          `but the document has ${JSON.stringify(doc.slice(at, end))} there`,
      );
    }
    at = end;
  });
  pieces.push(doc.slice(at));
  return pieces.join('');
}
