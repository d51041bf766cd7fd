/**
 * The live document feed behind `GET /api/events` (events-route.ts): one `doc` event per
 * change a document list cares about, each with an increasing id, and a bounded log of the
 * recent ones so a client that reconnects with `Last-Event-ID` gets what it missed.
 *
 * `EventFeed` is the seam for several relays: the local feed below serves one relay; a shared
 * one (e.g. on Redis: ids from INCR, events on pub/sub, the log in a capped stream) makes
 * every relay's events reach every subscriber without changing the route or the sources:
 * cluster mode's is cluster/redis-event-feed.ts.
 *
 *   const feed = new LocalEventFeed({ maxEvents: 1000, maxAgeMs: 600_000 });
 *   const stop = feed.subscribe((entry) => send(entry));
 *   feed.publish({ name: 'notes', title: 'Notes', modified, size, deleted: false, people: 2 });
 */
import type { DocEvent } from '@weft/protocol';

/** What a document list shows of one document (the data of an SSE `doc` event). */
export type { DocEvent };

export interface FeedEntry {
  /** Increasing across the feed; the SSE `id:`. */
  readonly id: number;
  readonly event: DocEvent;
}

export interface EventFeed {
  /** Adds an event with the next id and hands it to every subscriber. */
  publish(event: DocEvent): void;
  /**
   * Every kept entry with an id above `after`, oldest first; `'reset'` when some entry after
   * it is no longer kept (or `after` is from another feed: above the newest id), so the
   * caller must fetch the whole list again.
   */
  replay(after: number): readonly FeedEntry[] | 'reset';
  /**
   * Calls `listener` with each entry published from now on; returns the unsubscribe.
   * `onReset`: entries were lost to this subscriber (a shared feed after its bus came back),
   * so it must fetch the whole list again. The local feed never loses any.
   */
  subscribe(listener: (entry: FeedEntry) => void, onReset?: () => void): () => void;
  /** People in `name` on every relay, for a shared feed that knows (undefined otherwise). */
  peopleIn?(name: string): number | undefined;
}

export interface EventLogRetention {
  /** Entries kept for replay at most. */
  readonly maxEvents: number;
  /** Entries older than this are dropped. */
  readonly maxAgeMs: number;
}

export const DEFAULT_EVENT_RETENTION: EventLogRetention = { maxEvents: 1000, maxAgeMs: 600_000 };

/** One relay's feed, its log in memory. Ids start above the process start time (ms), so a
 * restarted relay's ids are higher than the ones its clients saw and they get a reset rather
 * than a silent gap. */
export class LocalEventFeed implements EventFeed {
  private readonly log: { entry: FeedEntry; at: number }[] = [];
  private readonly listeners = new Set<(entry: FeedEntry) => void>();
  private lastId: number;
  /** The id of the newest entry dropped from the log (nothing was missed up to it). */
  private droppedThrough: number;

  constructor(
    private readonly retention: EventLogRetention = DEFAULT_EVENT_RETENTION,
    private readonly now: () => number = Date.now,
  ) {
    this.lastId = now();
    this.droppedThrough = this.lastId;
  }

  publish(event: DocEvent): void {
    const entry: FeedEntry = { id: ++this.lastId, event };
    this.log.push({ entry, at: this.now() });
    this.trim();
    for (const listener of this.listeners) listener(entry);
  }

  replay(after: number): readonly FeedEntry[] | 'reset' {
    this.trim();
    if (!Number.isSafeInteger(after) || after < this.droppedThrough || after > this.lastId) {
      return 'reset';
    }
    return this.log.filter(({ entry }) => entry.id > after).map(({ entry }) => entry);
  }

  subscribe(listener: (entry: FeedEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private trim(): void {
    const oldest = this.now() - this.retention.maxAgeMs;
    while (
      this.log.length > 0 &&
      (this.log.length > this.retention.maxEvents || (this.log[0]?.at ?? Infinity) < oldest)
    ) {
      const dropped = this.log.shift();
      if (dropped) this.droppedThrough = dropped.entry.id;
    }
  }
}
