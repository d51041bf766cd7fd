import { describe, expect, it } from 'vitest';
import { GroupCommit, type BatchOperation } from './group-commit';

const put = (key: string): BatchOperation => ({ type: 'put', key, value: Uint8Array.of(1) });

/** A write function that records each write and completes when told to. */
function gatedWriter(): {
  writes: BatchOperation[][];
  release(error?: Error): void;
  write(operations: BatchOperation[]): Promise<void>;
} {
  const writes: BatchOperation[][] = [];
  let settle: ((error?: Error) => void) | null = null;
  return {
    writes,
    release(error) {
      settle?.(error);
    },
    write(operations) {
      writes.push(operations);
      return new Promise<void>((resolve, reject) => {
        settle = (error) => {
          settle = null;
          if (error) reject(error);
          else resolve();
        };
      });
    },
  };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const keys = (writes: BatchOperation[][]): string[][] => writes.map((w) => w.map((o) => o.key));

describe('GroupCommit', () => {
  it('writes the commits of one turn together, and those made during a write next', async () => {
    const writer = gatedWriter();
    const group = new GroupCommit((operations) => writer.write(operations));
    const settled: string[] = [];
    const a = group.commit([put('a1'), put('a2')]).then(() => settled.push('a'));
    const b = group.commit([put('b1')]).then(() => settled.push('b'));
    await nextTurn();
    expect(keys(writer.writes)).toEqual([['a1', 'a2', 'b1']]);
    const c = group.commit([put('c1')]).then(() => settled.push('c'));
    const d = group.commit([put('d1')]).then(() => settled.push('d'));
    await nextTurn();
    // Nothing is acknowledged before its write completes, and the write in flight stays alone.
    expect(settled).toEqual([]);
    expect(writer.writes).toHaveLength(1);
    writer.release();
    await Promise.all([a, b]);
    await nextTurn();
    expect(keys(writer.writes)).toEqual([
      ['a1', 'a2', 'b1'],
      ['c1', 'd1'],
    ]);
    expect(settled).toEqual(['a', 'b']);
    writer.release();
    await Promise.all([c, d]);
    expect(settled).toEqual(['a', 'b', 'c', 'd']);
  });

  it('tells every commit of a failed write, and keeps writing later ones', async () => {
    const writer = gatedWriter();
    const group = new GroupCommit((operations) => writer.write(operations));
    const a = group.commit([put('a')]);
    const b = group.commit([put('b')]);
    await nextTurn();
    writer.release(new Error('disk full'));
    await expect(a).rejects.toThrow('disk full');
    await expect(b).rejects.toThrow('disk full');
    const c = group.commit([put('c')]);
    await nextTurn();
    writer.release();
    await expect(c).resolves.toBeUndefined();
    expect(keys(writer.writes)).toEqual([['a', 'b'], ['c']]);
  });
});
