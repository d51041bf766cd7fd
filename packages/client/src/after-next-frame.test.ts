import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterNextFrame } from './local-copy.js';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('afterNextFrame', () => {
  it('calls back once just after the next frame, leaving no timer behind', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    // Node has no frames: one every 16 ms, on the fake clock.
    vi.stubGlobal('requestAnimationFrame', (frame: (time: number) => void) =>
      setTimeout(() => frame(performance.now()), 16),
    );
    vi.stubGlobal('cancelAnimationFrame', (id: ReturnType<typeof setTimeout>) => clearTimeout(id));
    const callback = vi.fn();
    afterNextFrame(callback);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(17); // a frame, then the timeout queued from it
    expect(callback).toHaveBeenCalledTimes(1);
    // The 50 ms fallback is gone, not merely harmless: one task fewer per keystroke.
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(100);
    expect(callback).toHaveBeenCalledTimes(1);
  });

  it('calls back after 50 ms when no frame comes (a hidden page), and drops the frame request', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const cancelled: number[] = [];
    vi.stubGlobal('requestAnimationFrame', () => 7);
    vi.stubGlobal('cancelAnimationFrame', (id: number) => cancelled.push(id));
    const callback = vi.fn();
    afterNextFrame(callback);
    vi.advanceTimersByTime(49);
    expect(callback).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(callback).toHaveBeenCalledTimes(1);
    expect(cancelled).toEqual([7]);
  });
});
