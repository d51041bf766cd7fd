import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommitClock } from './commit-clock';

describe('commit clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes everyone waiting for a tick in one timer, at the tick', async () => {
    const clock = new CommitClock(50);
    await vi.advanceTimersByTimeAsync(7);
    const next = clock.current() + 1;
    const woken: [string, number][] = [];
    clock.onTick(next, () => woken.push(['a', performance.now()]));
    await vi.advanceTimersByTimeAsync(20);
    clock.onTick(next, () => woken.push(['b', performance.now()]));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(30);
    expect(woken).toEqual([
      ['a', next * 50],
      ['b', next * 50],
    ]);
    expect(clock.current()).toBe(next);
  });

  it('forgets a withdrawn waker, and the timer once nobody waits', async () => {
    const clock = new CommitClock(50);
    const next = clock.current() + 1;
    const woken: string[] = [];
    const withdrawA = clock.onTick(next, () => woken.push('a'));
    const withdrawB = clock.onTick(next, () => woken.push('b'));
    withdrawA();
    expect(vi.getTimerCount()).toBe(1);
    withdrawB();
    expect(vi.getTimerCount()).toBe(0);
    clock.onTick(next, () => woken.push('c'));
    await vi.advanceTimersByTimeAsync(100);
    expect(woken).toEqual(['c']);
  });

  it('refuses an interval that is not positive', () => {
    expect(() => new CommitClock(0)).toThrow(RangeError);
  });
});
