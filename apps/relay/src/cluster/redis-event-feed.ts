/**
 * The document event feed of a cluster (doc-events.ts `EventFeed`), shared by every relay
 * through Redis, so `/api/events` on any relay carries every relay's events under one
 * sequence of ids, and `Last-Event-ID` resumes on any relay.
 *
 * - **One log, one order.** A relay publishes with one Lua script that takes the next id from
 *   a counter (`weft:events:id`, INCR; seeded with the clock when missing, so ids after Redis
 *   restarted empty are higher than the ones clients saw), appends the entry to a capped
 *   stream (`weft:events`, `XADD MAXLEN ~ <maxEvents>`, id `<n>-0`) and PUBLISHes it on
 *   `weft:events`. Redis runs a script whole, so the pub/sub order is the id order, and ids
 *   have no gaps: a relay that sees one knows it missed something.
 * - **A local mirror.** Each relay loads the stream at start, then follows the channel; replay
 *   (synchronous, as the route wants) answers from the mirror, with the local feed's rules
 *   (same retention: entries, and age by Redis's clock). A gap is filled from the stream; what
 *   the stream no longer has makes every subscriber of this relay get a reset.
 * - **People summed across relays.** What a relay publishes carries its own count of people in
 *   the document; the script keeps each relay's count in `weft:people:<name>` and writes the
 *   sum of the relays still alive into the entry. A relay is alive while its key
 *   `weft:relay-alive:<id>` is (refreshed every beat, expiring after the liveness timeout);
 *   when liveness finds a relay gone, the others drop its counts and exactly one of them (the
 *   one whose HDEL removed it, in the script) publishes the corrected sum.
 * - **Redis away.** `publish` never waits or throws: the script fails at once (no offline
 *   queue) and the event is lost. When this relay's subscriber is back it reloads the stream,
 *   republishes its documents with people in them (Redis may have restarted empty), and if it
 *   lost events, appends a reset marker: every relay's subscribers get `event: reset`, and
 *   replays from before the marker get a reset too.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  DEFAULT_EVENT_RETENTION,
  type DocEvent,
  type EventFeed,
  type EventLogRetention,
  type FeedEntry,
} from '../doc-events';
import type { RedisBus } from './redis-bus';

export const EVENTS_CHANNEL = 'weft:events';
export const EVENTS_STREAM = 'weft:events';
export const EVENTS_COUNTER = 'weft:events:id';
export const peopleKey = (name: string): string => `weft:people:${name}`;
export const ALIVE_PREFIX = 'weft:relay-alive:';

/** KEYS: counter, stream, people hash. ARGV: mode (set|drop|reset), relay, local count, event
 * JSON, maxlen, channel, seed, alive prefix, alive ttl (ms). Returns the id, or false for a
 * drop that found nothing to drop. */
const PUBLISH_SCRIPT = `
local mode = ARGV[1]
local relay = ARGV[2]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local total = 0
if mode ~= 'reset' then
  local hash = KEYS[3]
  if mode == 'drop' then
    redis.call('DEL', ARGV[8] .. relay)
    if redis.call('HDEL', hash, relay) == 0 then return false end
  else
    redis.call('SET', ARGV[8] .. relay, '1', 'PX', ARGV[9])
    if tonumber(ARGV[3]) > 0 then redis.call('HSET', hash, relay, ARGV[3])
    else redis.call('HDEL', hash, relay) end
  end
  local fields = redis.call('HGETALL', hash)
  for i = 1, #fields, 2 do
    if redis.call('EXISTS', ARGV[8] .. fields[i]) == 1 then
      total = total + tonumber(fields[i + 1])
    else
      redis.call('HDEL', hash, fields[i])
    end
  end
end
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[7]) end
local id = redis.call('INCR', KEYS[1])
local wire
if mode == 'reset' then
  wire = '{"id":' .. id .. ',"at":' .. now .. ',"reset":true}'
else
  wire = '{"id":' .. id .. ',"at":' .. now .. ',"relay":"' .. relay .. '","local":' .. ARGV[3]
    .. ',"people":' .. total .. ',"event":' .. ARGV[4] .. '}'
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], id .. '-0', 'e', wire)
redis.call('PUBLISH', ARGV[6], wire)
return id
`;

/** One entry as the script writes it, on the channel and in the stream. */
interface Wire {
  readonly id: number;
  /** Redis's clock, ms. */
  readonly at: number;
  readonly reset?: true;
  readonly relay?: string;
  /** The publishing relay's own count of people in the document. */
  readonly local?: number;
  /** The sum over the relays alive. */
  readonly people?: number;
  readonly event?: DocEvent;
}

type Listener = (entry: FeedEntry) => void;
type ResetListener = () => void;

export interface RedisEventFeedOptions {
  readonly relayId: string;
  readonly bus: RedisBus;
  readonly log: Logger;
  readonly retention?: EventLogRetention | undefined;
  /** How often this relay says it is alive (its people counted), ms. */
  readonly beatMs: number;
  /** How long its counts survive without a beat, ms (the liveness timeout). */
  readonly deadAfterMs: number;
}

export class RedisEventFeed implements EventFeed {
  private readonly log: { entry: FeedEntry; at: number }[] = [];
  private readonly listeners = new Map<Listener, ResetListener | undefined>();
  private readonly retention: EventLogRetention;
  private lastId = 0;
  private droppedThrough = 0;
  /** Per document, each relay's count from the newest entry it published. */
  private readonly counts = new Map<string, Map<string, number>>();
  /** Per document, the newest entry's event (people: the sum). */
  private readonly latest = new Map<string, DocEvent>();
  /** What this relay last published per document (people: its own count). */
  private readonly mine = new Map<string, DocEvent>();
  /** Messages that arrived while the mirror was loading or filling a gap. */
  private buffered: Wire[] | null = [];
  private syncing: Promise<boolean> | null = null;
  /** An event could not be published; the next reconnect appends a reset marker. */
  private lost = false;
  private beatTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(private readonly options: RedisEventFeedOptions) {
    this.retention = options.retention ?? DEFAULT_EVENT_RETENTION;
  }

  /** Subscribes, loads the stream into the mirror, and starts beating. */
  static async start(options: RedisEventFeedOptions): Promise<RedisEventFeed> {
    const feed = new RedisEventFeed(options);
    await options.bus.subscribe(EVENTS_CHANNEL, feed.handleMessage);
    await feed.sync(true);
    options.bus.onReconnect(() => void feed.reconnected());
    feed.beat();
    feed.beatTimer = setInterval(() => feed.beat(), options.beatMs);
    feed.beatTimer.unref();
    return feed;
  }

  /** `event.people` is this relay's own count; the entry carries the cluster's sum. */
  publish(event: DocEvent): void {
    this.mine.set(event.name, event);
    if (this.closed) return;
    void this.run('set', this.options.relayId, event);
  }

  replay(after: number): readonly FeedEntry[] | 'reset' {
    this.trim();
    if (!Number.isSafeInteger(after) || after < this.droppedThrough || after > this.lastId) {
      return 'reset';
    }
    return this.log.filter(({ entry }) => entry.id > after).map(({ entry }) => entry);
  }

  subscribe(listener: Listener, onReset?: ResetListener): () => void {
    this.listeners.set(listener, onReset);
    return () => this.listeners.delete(listener);
  }

  /** People in `name` on every relay alive, as the newest entry says; undefined if unknown. */
  peopleIn(name: string): number | undefined {
    return this.latest.get(name)?.people;
  }

  /** `relay` is gone (relay-liveness.ts): its people no longer count. */
  relayGone(relay: string): void {
    for (const [name, byRelay] of this.counts) {
      if ((byRelay.get(relay) ?? 0) === 0) continue;
      const event = this.latest.get(name);
      if (event) void this.run('drop', relay, { ...event, people: 0 });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.beatTimer) clearInterval(this.beatTimer);
    this.listeners.clear();
    await this.redis()
      .del(ALIVE_PREFIX + this.options.relayId)
      .catch(() => undefined);
    await this.options.bus.unsubscribe(EVENTS_CHANNEL, this.handleMessage);
  }

  private redis(): Redis {
    return this.options.bus.commands();
  }

  private beat(): void {
    if (this.closed) return;
    this.redis()
      .set(ALIVE_PREFIX + this.options.relayId, '1', 'PX', this.options.deadAfterMs)
      .catch(() => undefined);
  }

  /** Runs the publishing script; never throws (Redis away: the event is lost, and said so). */
  private async run(mode: 'set' | 'drop' | 'reset', relay: string, event?: DocEvent) {
    const name = event?.name ?? '';
    try {
      await this.redis().eval(
        PUBLISH_SCRIPT,
        3,
        EVENTS_COUNTER,
        EVENTS_STREAM,
        peopleKey(name),
        mode,
        relay,
        String(event?.people ?? 0),
        JSON.stringify(event ?? null),
        String(this.retention.maxEvents),
        EVENTS_CHANNEL,
        String(Math.max(Date.now(), this.lastId)),
        ALIVE_PREFIX,
        String(this.options.deadAfterMs),
      );
    } catch (error) {
      if (mode !== 'drop') this.lost = true;
      this.options.log.debug({ err: error, doc: name }, 'document event not published');
    }
  }

  private readonly handleMessage = (bytes: Uint8Array): void => {
    let wire: Wire;
    try {
      wire = parseWire(Buffer.from(bytes).toString('utf8'));
    } catch (error) {
      this.options.log.warn({ err: error }, 'ignored a malformed document event');
      return;
    }
    if (this.buffered) {
      this.buffered.push(wire);
      return;
    }
    if (wire.id <= this.lastId) return;
    if (wire.id === this.lastId + 1) {
      this.accept(wire);
      return;
    }
    // A gap: something was missed; the stream has it (or says it is gone).
    this.buffered = [wire];
    void this.sync(false);
  };

  /**
   * Reads the stream (its newest `maxEvents`) into the mirror, then what arrived meanwhile.
   * `initial`: the first load, nothing to reset.
   */
  private sync(initial: boolean): Promise<boolean> {
    this.syncing ??= this.syncOnce(initial).finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /** Resolves to whether the stream could be read. */
  private async syncOnce(initial: boolean): Promise<boolean> {
    this.buffered ??= [];
    let stored: Wire[] = [];
    let read = false;
    try {
      const rows = await this.redis().xrevrange(
        EVENTS_STREAM,
        '+',
        '-',
        'COUNT',
        this.retention.maxEvents,
      );
      stored = rows.reverse().flatMap(([, fields]) => {
        try {
          return [parseWire(fields[1] ?? '')];
        } catch {
          return [];
        }
      });
      read = true;
    } catch (error) {
      if (initial) {
        this.buffered = null;
        throw error;
      }
      this.options.log.warn({ err: error }, 'reading the event stream failed');
    }
    const newer = [...stored, ...this.buffered]
      .filter((wire) => wire.id > this.lastId)
      .sort((a, b) => a.id - b.id);
    this.buffered = null;
    const first = newer[0];
    if (initial) {
      this.droppedThrough = first ? first.id - 1 : 0;
      this.lastId = this.droppedThrough;
    } else if (read && this.lastId > 0 && !stored.some((wire) => wire.id >= this.lastId)) {
      // The stream no longer holds what this relay last saw: Redis restarted without it.
      // Whatever was published while this relay was away is gone, including a reset marker
      // another relay may have sent before this one listened again.
      this.resetFrom(this.lastId + 1);
    } else if (first && first.id > this.lastId + 1) {
      this.resetFrom(first.id - 1);
    }
    for (const wire of newer) if (wire.id > this.lastId) this.accept(wire);
    return read;
  }

  private async reconnected(): Promise<void> {
    // The subscriber is back, but commands go over the other connection, which may come back
    // later: until the stream can be read, nothing here can be judged (or published).
    for (let delay = 50; !this.closed && !(await this.sync(false));) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 1000);
    }
    if (this.closed) return;
    if (this.lost) {
      this.lost = false;
      await this.run('reset', this.options.relayId);
    }
    // Redis may have restarted empty: the people this relay holds count again.
    for (const event of this.mine.values()) {
      if (event.people > 0) void this.run('set', this.options.relayId, event);
    }
  }

  private accept(wire: Wire): void {
    this.lastId = wire.id;
    if (wire.reset || !wire.event) {
      this.resetFrom(wire.id);
      return;
    }
    const event: DocEvent = { ...wire.event, people: wire.people ?? 0 };
    if (wire.relay !== undefined) {
      let byRelay = this.counts.get(event.name);
      if (!byRelay) {
        byRelay = new Map();
        this.counts.set(event.name, byRelay);
      }
      if ((wire.local ?? 0) > 0) byRelay.set(wire.relay, wire.local ?? 0);
      else byRelay.delete(wire.relay);
      if (byRelay.size === 0) this.counts.delete(event.name);
    }
    this.latest.set(event.name, event);
    const entry: FeedEntry = { id: wire.id, event };
    this.log.push({ entry, at: wire.at });
    this.trim();
    for (const listener of this.listeners.keys()) listener(entry);
  }

  /** Entries up to `id` may be incomplete: replays from before get a reset, and so does
   * every subscriber now. */
  private resetFrom(id: number): void {
    this.droppedThrough = Math.max(this.droppedThrough, id);
    this.lastId = Math.max(this.lastId, id);
    this.log.splice(0, this.log.length);
    for (const onReset of this.listeners.values()) onReset?.();
  }

  private trim(): void {
    const oldest = Date.now() - this.retention.maxAgeMs;
    while (
      this.log.length > 0 &&
      (this.log.length > this.retention.maxEvents || (this.log[0]?.at ?? Infinity) < oldest)
    ) {
      const dropped = this.log.shift();
      if (dropped) this.droppedThrough = dropped.entry.id;
    }
  }
}

function parseWire(text: string): Wire {
  const wire = JSON.parse(text) as Wire;
  const { id, at, reset, event } = wire as {
    id: unknown;
    at: unknown;
    reset: unknown;
    event: unknown;
  };
  if (!Number.isSafeInteger(id) || typeof at !== 'number') {
    throw new Error('not a document event entry');
  }
  if (reset !== true && (typeof event !== 'object' || event === null)) {
    throw new Error('document event entry without its event');
  }
  return wire;
}
