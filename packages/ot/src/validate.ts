/**
 * Structural validation shared by every entry point, so a bad op fails loudly at the boundary
 * with the index of the offending component instead of producing a wrong document later.
 * Fit against a particular document (length, deleted text) is checked by `apply`.
 */
import { InvalidOpError } from './errors';
import type { Side, TextOp } from './types';
import { isWellFormed } from './unicode';

const describe = (value: unknown): string => {
  try {
    // JSON.stringify returns undefined (despite its type) for undefined and functions.
    const json = JSON.stringify(value) as unknown;
    return typeof json === 'string' ? json : String(value);
  } catch {
    return String(value);
  }
};

const fail = (index: number, value: unknown, problem: string): never => {
  throw new InvalidOpError(`Invalid text op: component ${index} (${describe(value)}) ${problem}`);
};

const isCount = (n: number): boolean => Number.isSafeInteger(n) && n > 0;

function checkComponent(c: unknown, index: number): void {
  if (typeof c === 'number') {
    if (!isCount(c)) fail(index, c, 'is not a retain: retains must be positive integers');
  } else if (typeof c === 'string') {
    if (c === '') fail(index, c, 'is an empty insert');
    if (!isWellFormed(c)) fail(index, c, 'inserts a string with a lone surrogate');
  } else if (typeof c === 'object' && c !== null && !Array.isArray(c)) {
    const keys = Object.keys(c);
    if (keys.length !== 1 || keys[0] !== 'd') {
      fail(index, c, 'is not a delete: a delete is an object with exactly one key, "d"');
    }
    const d: unknown = (c as { d?: unknown }).d;
    if (typeof d === 'number') {
      if (!isCount(d)) fail(index, c, 'deletes a count that is not a positive integer');
    } else if (typeof d === 'string') {
      if (d === '') fail(index, c, 'deletes empty text');
      if (!isWellFormed(d)) fail(index, c, 'deletes a string with a lone surrogate');
    } else {
      fail(index, c, 'is not a delete: "d" must be a positive integer or non-empty text');
    }
  } else {
    fail(index, c, 'has the wrong type: expected a number, a string or { d }');
  }
}

/**
 * Throws `InvalidOpError` unless `op` is an array of valid components. Unlike `ot-text-unicode`
 * this accepts non-canonical ops (adjacent retains, a trailing retain): they mean something
 * unambiguous, and `normalize` turns them into the canonical form.
 */
export function checkOp(op: unknown): asserts op is TextOp {
  if (!Array.isArray(op)) {
    throw new InvalidOpError(
      `Invalid text op: expected an array of components, got ${describe(op)}`,
    );
  }
  const components: readonly unknown[] = op;
  components.forEach(checkComponent);
}

export function checkSide(side: unknown): asserts side is Side {
  if (side !== 'left' && side !== 'right') {
    throw new InvalidOpError(`Invalid side ${describe(side)}: expected 'left' or 'right'`);
  }
}
