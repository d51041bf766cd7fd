import { describe, expect, it } from 'vitest';
import { StoredReceipts } from './stored-receipts';

describe('StoredReceipts', () => {
  it('acknowledges a message once the write holding its updates is stored', () => {
    const receipts = new StoredReceipts();
    expect(receipts.accept(1, 0)).toBeNull(); // message 1 queued update 1
    expect(receipts.accept(2, 0)).toBeNull(); // message 2 queued update 2
    expect(receipts.advance(1)).toBe(1);
    expect(receipts.advance(1)).toBeNull();
    expect(receipts.advance(2)).toBe(2);
    expect(receipts.stored).toBe(2);
  });

  it('a message that changed nothing waits for what was pending, then counts', () => {
    const receipts = new StoredReceipts();
    // Update 5 (someone else's) is queued, not stored: a no-op message must wait for it.
    expect(receipts.accept(5, 4)).toBeNull();
    expect(receipts.advance(5)).toBe(1);
    // With nothing pending it is stored at once.
    expect(receipts.accept(5, 5)).toBe(2);
  });

  it('one stored write settles every message that waited for it', () => {
    const receipts = new StoredReceipts();
    for (let i = 0; i < 100; i++) receipts.accept(7, 3);
    expect(receipts.advance(6)).toBeNull();
    expect(receipts.advance(7)).toBe(100);
  });

  it('never counts past a refused message', () => {
    const receipts = new StoredReceipts();
    expect(receipts.accept(1, 0)).toBeNull();
    receipts.refuse();
    expect(receipts.accept(1, 0)).toBeNull();
    expect(receipts.advance(10)).toBe(1);
    expect(receipts.accept(10, 10)).toBeNull();
    expect(receipts.stored).toBe(1);
  });
});
