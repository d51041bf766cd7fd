/** Invalid input fails loudly, with a message naming the problem, and changes nothing. */
import { describe, expect, it } from 'vitest';
import { InvalidOpError } from './errors';
import { apply, compose, invert, normalize, text, transform, transformPosition } from './index';

const malformed: [string, unknown, RegExp][] = [
  ['not an array', { 0: 1 }, /expected an array/],
  ['a negative retain', [-1, 'x'], /component 0 \(-1\).*positive integers/],
  ['a zero retain', [0, 'x'], /component 0 \(0\)/],
  ['a fractional retain', [1.5], /positive integers/],
  ['NaN', [Number.NaN], /positive integers/],
  ['an empty insert', [''], /empty insert/],
  ['an insert with a lone surrogate', ['a\uD800'], /lone surrogate/],
  ['a zero delete', [{ d: 0 }], /positive integer/],
  ['a negative delete', [{ d: -2 }], /positive integer/],
  ['an empty text delete', [{ d: '' }], /empty text/],
  ['a delete of the wrong type', [{ d: true }], /"d" must be/],
  ['an object that is not a delete', [{ i: 'x' }], /exactly one key/],
  ['a delete with extra keys', [{ d: 1, i: 'x' }], /exactly one key/],
  ['null', [null], /wrong type/],
  ['a nested array', [[1]], /wrong type/],
  ['a boolean', [true], /wrong type/],
];

describe('malformed ops are rejected by every function', () => {
  it.each(malformed)('%s', (_name, op, message) => {
    const bad = op as never;
    expect(() => apply('abcdef', bad)).toThrow(message);
    expect(() => apply('abcdef', bad)).toThrow(InvalidOpError);
    expect(() => normalize(bad)).toThrow(InvalidOpError);
    expect(() => transform(bad, [1, 'x'], 'left')).toThrow(InvalidOpError);
    expect(() => transform([1, 'x'], bad, 'right')).toThrow(InvalidOpError);
    expect(() => compose(bad, ['x'])).toThrow(InvalidOpError);
    expect(() => compose(['x'], bad)).toThrow(InvalidOpError);
    expect(() => transformPosition(1, bad)).toThrow(InvalidOpError);
  });
});

describe('ops that do not fit the document', () => {
  it('rejects a retain past the end', () => {
    expect(() => apply('abc', [4, 'x'])).toThrow(
      /retain at component 0 runs past the end \(the document has 3 characters\)/,
    );
  });

  it('rejects a delete past the end', () => {
    expect(() => apply('abc', [2, { d: 2 }])).toThrow(/delete at component 1 runs past the end/);
  });

  it('counts code points, not UTF-16 units, when checking the end', () => {
    expect(apply('😀😀', [2, 'x'])).toBe('😀😀x');
    expect(() => apply('😀😀', [3])).toThrow(/the document has 2 characters/);
  });

  it('rejects a text delete that does not match the document', () => {
    expect(() => apply('abc', [1, { d: 'x' }])).toThrow(
      /component 1 deletes "x" but the document has "b" there/,
    );
  });
});

describe('other invalid arguments', () => {
  it('rejects an unknown side', () => {
    expect(() => transform(['x'], ['y'], 'middle' as never)).toThrow(/'left' or 'right'/);
  });

  it('refuses to invert a counted delete', () => {
    expect(() => invert([1, { d: 2 }])).toThrow(
      /component 1 deletes 2 characters without saying which/,
    );
  });

  it('rejects a negative or fractional cursor', () => {
    expect(() => transformPosition(-1, [])).toThrow(/Invalid cursor position -1/);
    expect(() => transformPosition(0.5, [])).toThrow(InvalidOpError);
  });

  it('rejects a non-string snapshot', () => {
    expect(() => text.create(42)).toThrow(/must be a string/);
    expect(() => apply(42 as never, [])).toThrow(/must be a string/);
  });
});

describe('non-canonical but meaningful ops are accepted', () => {
  it('takes adjacent retains and a trailing retain', () => {
    expect(apply('abcd', [1, 1, 'x', 2])).toBe('abxcd');
    expect(normalize([1, 1, 'x', 2])).toEqual([2, 'x']);
  });

  it('merges neighbouring deletes, keeping text only when both carry it', () => {
    expect(normalize([{ d: 'a' }, { d: 'b' }])).toEqual([{ d: 'ab' }]);
    expect(normalize([{ d: 'a' }, { d: 2 }])).toEqual([{ d: 3 }]);
  });
});
