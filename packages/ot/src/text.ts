/**
 * The text type as one object in the shape ShareDB's type registry expects. Its name and URI
 * are those of `ot-text-unicode`, because ops and snapshots are interchangeable with it (the
 * differential test holds it to that), so it can stand in for that type.
 *
 * @example
 *   import { text } from '@weft/ot';
 *   text.apply('hi there', [3, { d: 5 }, 'world']); // 'hi world'
 */
import { apply } from './apply';
import { compose } from './compose';
import { InvalidOpError } from './errors';
import { invert, invertWithDoc, makeInvertible } from './invert';
import { isNoop, normalize } from './normalize';
import { transformPosition, transformSelection } from './position';
import { transform } from './transform';
import { checkOp } from './validate';

/** A new document: `initial` (default empty). */
export function create(initial: unknown = ''): string {
  if (typeof initial !== 'string') throw new InvalidOpError('Initial document must be a string');
  return initial;
}

export const text = {
  name: 'text-unicode',
  uri: 'http://sharejs.org/types/text-unicode',
  create,
  apply,
  transform,
  compose,
  normalize,
  invert,
  invertWithDoc,
  makeInvertible,
  transformPosition,
  transformSelection,
  checkOp,
  isNoop,
} as const;
