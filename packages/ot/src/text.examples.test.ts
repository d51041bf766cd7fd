/** Worked examples of the text type, readable as documentation. */
import { describe, expect, it } from 'vitest';
import { text } from './index';

describe('text type', () => {
  it('has the ShareDB identity of ot-text-unicode', () => {
    expect(text.name).toBe('text-unicode');
    expect(text.uri).toBe('http://sharejs.org/types/text-unicode');
    expect(text.create()).toBe('');
    expect(text.create('hi')).toBe('hi');
  });

  it('applies retains, inserts and deletes counted in code points', () => {
    expect(text.apply('hi there', [3, { d: 5 }, '🤖👻💃'])).toBe('hi 🤖👻💃');
    expect(text.apply('😀abc', [1, { d: 'a' }, 'Z'])).toBe('😀Zbc');
  });

  it('composes an insert and its deletion into nothing', () => {
    expect(text.compose([2, 'hi there'], [2, { d: 'hi there' }])).toEqual([]);
  });

  it('transforms a delete past a concurrent insert inside it', () => {
    // 'abcd': one side deletes 'bc', the other inserts 'X' between 'b' and 'c'.
    const del = [1, { d: 'bc' }];
    const ins = [2, 'X'];
    expect(text.transform(del, ins, 'left')).toEqual([1, { d: 'b' }, 1, { d: 'c' }]);
    expect(text.transform(ins, del, 'left')).toEqual([1, 'X']);
    expect(text.apply(text.apply('abcd', ins), text.transform(del, ins, 'left'))).toBe('aXd');
  });

  it('inverts with the document when deletes are counted', () => {
    const op = [1, { d: 2 }, 'xy'];
    expect(text.makeInvertible(op, 'abcd')).toEqual([1, { d: 'bc' }, 'xy']);
    expect(text.invertWithDoc(op, 'abcd')).toEqual([1, 'bc', { d: 'xy' }]);
  });

  it('never mutates its inputs', () => {
    const a = [{ d: 'a' }, 1, { d: 'b' }];
    const b = [{ d: 'x' }];
    const before = JSON.stringify([a, b]);
    text.compose(a, b);
    text.transform(a, b, 'left');
    text.normalize([{ d: 'a' }, ...a]);
    expect(JSON.stringify([a, b])).toBe(before);
  });
});
