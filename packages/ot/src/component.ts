/** Small total functions over already-validated components. */
import type { Component, Delete } from './types';
import { codePointLength } from './unicode';

export const isDelete = (c: Component | undefined): c is Delete => typeof c === 'object';

/** Characters deleted by a delete payload (a count or the deleted text). */
export const deleteLength = (d: number | string): number =>
  typeof d === 'number' ? d : codePointLength(d);

/** Characters a component walks over: retained, inserted or deleted. */
export function componentLength(c: Component): number {
  if (typeof c === 'number') return c;
  if (typeof c === 'string') return codePointLength(c);
  return deleteLength(c.d);
}
