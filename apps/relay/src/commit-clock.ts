/**
 * One clock that every document's writes keep time by, so that busy documents are written
 * together instead of each on its own schedule.
 *
 * A document edited continuously is written at most once per `commitIntervalMs`. When each
 * document counted that interval from its own last write, fifty busy documents wrote at fifty
 * different moments, and the store's group commit (which joins the writes of one turn) had
 * little to join. On a shared clock their writes are due at the same tick, so they start in
 * the same turn and share one storage write. An edit after a quiet moment is still written at
 * once; only a document already written during the current tick waits, for the next one: that
 * keeps it to one write a tick, and it is acknowledged sooner than when it had to wait a whole
 * interval from its last write.
 */
interface PendingTick {
  readonly timer: NodeJS.Timeout;
  readonly wakers: Set<() => void>;
}

export class CommitClock {
  private readonly pending = new Map<number, PendingTick>();

  constructor(readonly intervalMs: number) {
    if (!(intervalMs > 0)) throw new RangeError(`commit interval must be positive: ${intervalMs}`);
  }

  /** The tick now in progress. */
  current(): number {
    return Math.floor(performance.now() / this.intervalMs);
  }

  /**
   * Calls `wake` once tick `tick` has begun, in the same timer callback as everyone else
   * waiting for it. Returns a function that withdraws the call. The timer counts from the
   * event loop's cached time, so `current()` may still say the tick before when it fires:
   * whoever is woken counts itself in `tick` regardless.
   */
  onTick(tick: number, wake: () => void): () => void {
    let entry = this.pending.get(tick);
    if (!entry) {
      const delay = Math.max(0, Math.ceil(tick * this.intervalMs - performance.now()));
      const wakers = new Set<() => void>();
      const timer = setTimeout(() => {
        this.pending.delete(tick);
        for (const waker of wakers) waker();
      }, delay);
      entry = { timer, wakers };
      this.pending.set(tick, entry);
    }
    const { timer, wakers } = entry;
    wakers.add(wake);
    return () => {
      wakers.delete(wake);
      if (wakers.size === 0 && this.pending.get(tick)?.timer === timer) {
        clearTimeout(timer);
        this.pending.delete(tick);
      }
    };
  }
}

const clocks = new Map<number, CommitClock>();

/**
 * The process's clock for `intervalMs`: every relay in a process with the same interval shares
 * one, so documents on one store are written together wherever their rooms are.
 */
export function commitClock(intervalMs: number): CommitClock {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    clock = new CommitClock(intervalMs);
    clocks.set(intervalMs, clock);
  }
  return clock;
}
