import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeat, type Pingable } from './heartbeat';

class FakeConnection implements Pingable {
  pings = 0;
  terminated = false;
  answers = true;
  private awaitingPong = false;
  ping(): boolean {
    if (this.awaitingPong) return false;
    this.pings++;
    this.awaitingPong = !this.answers;
    return true;
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pings each connection once per interval, a tenth of them at a time', () => {
    const connections = new Set(Array.from({ length: 50 }, () => new FakeConnection()));
    const stop = startHeartbeat(connections, 1000);
    const pinged = (): number => [...connections].reduce((sum, c) => sum + c.pings, 0);
    vi.advanceTimersByTime(100);
    expect(pinged()).toBe(5);
    vi.advanceTimersByTime(900);
    expect([...connections].map((c) => c.pings)).toEqual(Array(50).fill(1));
    vi.advanceTimersByTime(1000);
    expect([...connections].map((c) => c.pings)).toEqual(Array(50).fill(2));
    stop();
    vi.advanceTimersByTime(5000);
    expect(pinged()).toBe(100);
  });

  it('terminates a connection at its next ping after an unanswered one, and only it', () => {
    const connections = new Set(Array.from({ length: 20 }, () => new FakeConnection()));
    const [silent] = connections;
    if (!silent) throw new Error('no connection');
    silent.answers = false;
    const stop = startHeartbeat(connections, 1000);
    vi.advanceTimersByTime(1000);
    expect(silent.terminated).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(silent.terminated).toBe(true);
    expect([...connections].filter((c) => c.terminated)).toEqual([silent]);
    stop();
  });
});
