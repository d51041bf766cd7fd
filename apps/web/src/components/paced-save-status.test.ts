import type { SaveStatus } from '@weft/client';
import { describe, expect, it } from 'vitest';
import { PacedSaveStatus, type PacingClock, type SaveStatusSource } from './paced-save-status';

const FRAME_MS = 16;

/** A clock whose time moves only when the test says; frames come every 16 ms. */
class ManualClock implements PacingClock {
  private time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;

  now = (): number => this.time;

  after(ms: number, callback: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  frame(callback: () => void): () => void {
    const nextFrame = (Math.floor(this.time / FRAME_MS) + 1) * FRAME_MS;
    return this.after(nextFrame - this.time, callback);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}

class FakeTracker implements SaveStatusSource {
  private status: SaveStatus = { state: 'saved', unsaved: 0, local: 'stored', retryAt: null };
  private readonly listeners = new Set<() => void>();
  getSnapshot = (): SaveStatus => this.status;
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  set(change: Partial<SaveStatus>): void {
    this.status = { ...this.status, ...change };
    for (const listener of this.listeners) listener();
  }
}

function setup() {
  const clock = new ManualClock();
  const tracker = new FakeTracker();
  const paced = new PacedSaveStatus(tracker, clock, { settleMs: 500, refreshMs: 400 });
  const shown: string[] = [];
  const stop = paced.subscribe(() => shown.push(paced.getSnapshot().state));
  return { clock, tracker, paced, shown, stop };
}

describe('PacedSaveStatus', () => {
  it('shows a burst of typing as one "syncing" and one "saved", not two changes per key', () => {
    const { clock, tracker, shown } = setup();
    for (let key = 0; key < 20; key++) {
      tracker.set({ state: 'syncing', unsaved: 1, local: 'storing' });
      clock.advance(30);
      tracker.set({ state: 'saved', unsaved: 0, local: 'stored' });
      clock.advance(50);
    }
    clock.advance(1000);
    expect(shown).toEqual(['syncing', 'saved']);
  });

  it('shows nothing for an edit acknowledged before the next frame', () => {
    const { clock, tracker, shown } = setup();
    tracker.set({ state: 'syncing', unsaved: 1, local: 'storing' });
    clock.advance(5);
    tracker.set({ state: 'saved', unsaved: 0, local: 'stored' });
    clock.advance(1000);
    expect(shown).toEqual([]);
  });

  it('withdraws "Saved" by the next frame, and never shows it while an edit is unsaved', () => {
    const { clock, tracker, paced } = setup();
    tracker.set({ state: 'syncing', unsaved: 1 });
    expect(paced.getSnapshot().state).toBe('saved'); // the edit is not painted yet either
    clock.advance(FRAME_MS);
    expect(paced.getSnapshot().state).toBe('syncing');
    // Acknowledged, then a new edit before the status settled: "Saved" never appears.
    tracker.set({ state: 'saved', unsaved: 0 });
    clock.advance(499);
    tracker.set({ state: 'syncing', unsaved: 1 });
    clock.advance(2000);
    expect(paced.getSnapshot()).toMatchObject({ state: 'syncing', unsaved: 1 });
  });

  it('shows going offline at the next frame even while "Saved" is settling', () => {
    const { clock, tracker, paced } = setup();
    tracker.set({ state: 'syncing', unsaved: 1 });
    clock.advance(FRAME_MS);
    tracker.set({ state: 'saved', unsaved: 0 });
    clock.advance(100);
    tracker.set({ state: 'offline', local: 'stored' });
    clock.advance(FRAME_MS);
    expect(paced.getSnapshot().state).toBe('offline');
  });

  it('refreshes a growing count at most once per refresh interval, ending on the latest', () => {
    const { clock, tracker, paced } = setup();
    const counts: number[] = [];
    paced.subscribe(() => counts.push(paced.getSnapshot().unsaved));
    for (let unsaved = 1; unsaved <= 20; unsaved++) {
      tracker.set({ state: 'syncing', unsaved });
      clock.advance(50);
    }
    clock.advance(1000);
    // 1 s of typing: the first count at once, then about one per 400 ms, and the last one.
    expect(counts.length).toBeLessThanOrEqual(4);
    expect(counts.at(-1)).toBe(20);
  });

  it('stops following the tracker when nobody listens, and catches up when someone does', () => {
    const { clock, tracker, paced, shown, stop } = setup();
    stop();
    tracker.set({ state: 'offline' });
    clock.advance(1000);
    expect(shown).toEqual([]);
    paced.subscribe(() => shown.push(paced.getSnapshot().state));
    clock.advance(FRAME_MS);
    expect(shown).toEqual(['offline']);
  });
});
