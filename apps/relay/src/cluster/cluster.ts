/**
 * Cluster mode (`--redis-url` with `--database-url`): several relays serve the same documents,
 * PostgreSQL holding them and Redis carrying what each relay commits, and presence, to the
 * others. This module ties the pieces to the relay's rooms:
 *
 * - each loaded room gets a DocChannel (updates: publish after COMMIT, apply, repair) and a
 *   PresenceChannel (awareness, never stored), dropped when the room is unloaded;
 * - every `checkIntervalMs` one query reads the newest sequence number of every loaded
 *   document, so a lost last message is repaired within two checks;
 * - when Redis comes back after an outage (restarted empty or not), every room repairs from
 *   PostgreSQL and announces its presence again;
 * - RelayLiveness removes the presence of relays that stopped beating (and their people from
 *   the event feed's counts);
 * - the document event feed is shared (redis-event-feed.ts), and so is the trash: a trash
 *   change this relay committed is published on `weft:trash`, and one heard from another
 *   relay closes this relay's connections to that document with 4404 (and, deleted for good,
 *   discards its loaded copy, so nothing is written back).
 *
 *   const cluster = await startCluster({ redisUrl, store, log, metrics });
 *   await startRelay({ ...options, cluster }, cluster.store, log, metrics);
 */
import { randomUUID } from 'node:crypto';
import type { PostgresDocStore } from '@weft/storage';
import type { Logger } from 'pino';
import { CloseCode } from '../connection';
import type { DocActivity } from '../doc-activity';
import type { EventFeed, EventLogRetention } from '../doc-events';
import type { RelayMetrics } from '../metrics';
import type { Room } from '../room';
import { TRASHED_REASON, type ClosableConnection } from '../trash';
import {
  decodeTrashNotice,
  encodeTrashNotice,
  TRASH_CHANNEL,
  type TrashChange,
} from './bus-messages';
import { ClusterMetrics } from './cluster-metrics';
import { ClusterStore } from './cluster-store';
import { DocChannel, type DocChannelContext } from './doc-channel';
import { PresenceChannel } from './presence-channel';
import { RedisBus } from './redis-bus';
import { RedisEventFeed } from './redis-event-feed';
import { RelayLiveness, type LivenessOptions } from './relay-liveness';

export interface ClusterOptions {
  readonly redisUrl: string;
  readonly store: PostgresDocStore;
  readonly log: Logger;
  readonly metrics: RelayMetrics;
  /** Newest-number check of every loaded document. Default 1000 ms. */
  readonly checkIntervalMs?: number;
  /** A gap in the numbers lasting this long is repaired. Default 100 ms. */
  readonly gapGraceMs?: number;
  /** Heartbeats; defaults: every 1 s, dead after 5 s. */
  readonly liveness?: LivenessOptions;
  /** What `/api/events` replays (default 1,000 events, 10 min), as on one relay. */
  readonly eventRetention?: EventLogRetention;
  /** Tests only: a bus that delays, duplicates and drops what it delivers (redis-bus.ts). */
  readonly intercept?: (channel: string, deliver: () => void) => void;
}

/** What the relay needs from cluster mode (relay.ts, rooms.ts). */
export interface RelayCluster {
  /** Told of each room loaded and unloaded. */
  roomLoaded(room: Room): void;
  roomUnloaded(room: Room): void;
  /** The document event feed shared by every relay (used unless the relay is given one). */
  readonly eventFeed?: EventFeed;
  /** Gives the cluster what it needs of the relay to apply other relays' trash changes. */
  attach?(relay: AttachedRelay): void;
  /** Why this relay should not get new users now (Redis), or null. */
  problem(): Promise<string | null>;
  /** Says goodbye to the other relays and disconnects from Redis. */
  close(): Promise<void>;
}

/** What cluster mode needs of its relay (relay.ts calls `attach`). */
export interface AttachedRelay {
  readonly connections: ReadonlySet<ClosableConnection>;
  readonly rooms: { discard(name: string): Promise<void> };
  readonly activity: DocActivity;
}

export class RedisUnreachableError extends Error {
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot connect to Redis at ${where}: ${reason}`, { cause });
    this.name = 'RedisUnreachableError';
  }
}

/** The Redis URL for messages and logs: never the password. */
export function describeRedisUrl(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed === null || !/^rediss?:$/.test(parsed.protocol) || parsed.host === '') {
    throw new Error(
      'the Redis URL must look like redis://host:6379 (or rediss:// for TLS), got ' +
        JSON.stringify(url.replace(/:[^:@/]*@/, ':***@')),
    );
  }
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

interface Links {
  readonly doc: DocChannel;
  readonly presence: PresenceChannel;
}

const PROBE_TIMEOUT_MS = 1000;
/** How long after another relay's trash change this relay looks for late connections. */
const LATE_TRASH_CHECK_MS = 500;
const DEFAULT_LIVENESS: LivenessOptions = { beatMs: 1000, deadAfterMs: 5000 };

export class Cluster implements RelayCluster {
  readonly store: ClusterStore;
  private readonly links = new Map<Room, Links>();
  private readonly docContext: DocChannelContext;
  private readonly liveness: RelayLiveness;
  private checkTimer: NodeJS.Timeout | null = null;
  private checking = false;
  private closed = false;
  private attached: AttachedRelay | null = null;

  private constructor(
    readonly relayId: string,
    private readonly bus: RedisBus,
    readonly eventFeed: RedisEventFeed,
    private readonly options: ClusterOptions,
    private readonly clusterMetrics: ClusterMetrics,
  ) {
    // After the COMMIT, so a relay that hears it finds PostgreSQL saying the same.
    this.store = new ClusterStore(options.store, (name, change) => {
      void bus.publish(TRASH_CHANNEL, encodeTrashNotice({ relay: this.relayId, name, change }));
    });
    this.docContext = {
      relayId: this.relayId,
      bus,
      store: this.store,
      metrics: clusterMetrics,
      log: options.log,
      gapGraceMs: options.gapGraceMs ?? 100,
    };
    this.liveness = new RelayLiveness(
      this.relayId,
      bus,
      options.liveness ?? DEFAULT_LIVENESS,
      (relay) => {
        for (const links of this.links.values()) links.presence.dropRelay(relay);
        eventFeed.relayGone(relay);
      },
      clusterMetrics,
      options.log,
    );
    bus.onReconnect(() => {
      for (const links of this.links.values()) {
        void links.doc.repair('reconnect');
        links.presence.announce();
      }
    });
  }

  /** Connects to Redis (rejecting with RedisUnreachableError) and starts beating. */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const where = describeRedisUrl(options.redisUrl);
    const clusterMetrics = new ClusterMetrics(options.metrics.registry);
    let bus: RedisBus;
    try {
      bus = await RedisBus.connect({
        url: options.redisUrl,
        log: options.log,
        onStateChange: (connected) => clusterMetrics.redisConnected.set(connected ? 1 : 0),
        ...(options.intercept ? { intercept: options.intercept } : {}),
      });
    } catch (error) {
      throw new RedisUnreachableError(where, error);
    }
    clusterMetrics.redisConnected.set(1);
    const relayId = randomUUID();
    const liveness = options.liveness ?? DEFAULT_LIVENESS;
    let eventFeed: RedisEventFeed;
    try {
      eventFeed = await RedisEventFeed.start({
        relayId,
        bus,
        log: options.log,
        retention: options.eventRetention,
        beatMs: liveness.beatMs,
        deadAfterMs: liveness.deadAfterMs,
      });
    } catch (error) {
      await bus.close();
      throw new RedisUnreachableError(where, error);
    }
    const cluster = new Cluster(relayId, bus, eventFeed, options, clusterMetrics);
    await bus.subscribe(TRASH_CHANNEL, cluster.handleTrashNotice);
    await cluster.liveness.start();
    cluster.checkTimer = setInterval(
      () => void cluster.checkLatest(),
      options.checkIntervalMs ?? 1000,
    );
    cluster.checkTimer.unref();
    options.log.info({ relay: cluster.relayId, redis: where }, 'cluster mode: joined');
    return cluster;
  }

  roomLoaded(room: Room): void {
    const doc = new DocChannel(room, this.store.takeLoadedSeq(room.name), this.docContext);
    const presence = new PresenceChannel(room, {
      relayId: this.relayId,
      bus: this.bus,
      metrics: this.clusterMetrics,
      log: this.options.log,
      heard: (relay) => this.liveness.heard(relay),
    });
    this.links.set(room, { doc, presence });
    room.onCommitted = (updates, info) => doc.committed(updates, info);
    // Without Redis the subscriptions wait for it (ioredis subscribes once it is back), and
    // the periodic check keeps the document current from PostgreSQL meanwhile.
    doc.start().catch((error: unknown) => {
      this.options.log.warn({ err: error, doc: room.name }, 'subscribing to the document failed');
    });
    presence.start().catch((error: unknown) => {
      this.options.log.warn({ err: error, doc: room.name }, 'subscribing to presence failed');
    });
  }

  attach(relay: AttachedRelay): void {
    this.attached = relay;
  }

  roomUnloaded(room: Room): void {
    const links = this.links.get(room);
    if (!links) return;
    this.links.delete(room);
    room.onCommitted = null;
    links.doc.stop();
    links.presence.stop();
  }

  /** Both Redis connections are up (/readyz also asks Redis for a round trip). */
  get redisConnected(): boolean {
    return this.bus.connected;
  }

  async problem(): Promise<string | null> {
    if (this.closed) return 'cluster mode stopped';
    return this.bus.problem(PROBE_TIMEOUT_MS);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.checkTimer) clearInterval(this.checkTimer);
    await this.liveness.stop().catch(() => undefined);
    await this.eventFeed.close().catch(() => undefined);
    await this.bus.unsubscribe(TRASH_CHANNEL, this.handleTrashNotice);
    for (const room of [...this.links.keys()]) this.roomUnloaded(room);
    await this.bus.close();
  }

  /** Another relay committed a trash change: this relay's connections follow it. */
  private readonly handleTrashNotice = (bytes: Uint8Array): void => {
    let notice;
    try {
      notice = decodeTrashNotice(bytes);
    } catch (error) {
      this.clusterMetrics.malformed.inc();
      this.options.log.warn({ err: error }, 'ignored a malformed trash notice');
      return;
    }
    if (notice.relay === this.relayId || this.attached === null) return;
    this.applyTrashChange(this.attached, notice.name, notice.change);
  };

  private applyTrashChange(relay: AttachedRelay, name: string, change: TrashChange): void {
    this.options.log.info({ doc: name, change }, 'trash change from another relay');
    relay.activity.heardTrashChange(name, change !== 'restored');
    if (change === 'restored') return;
    const closeAll = (): void => {
      for (const connection of relay.connections) {
        if (connection.room.name === name) connection.close(CloseCode.trashed, TRASHED_REASON);
      }
    };
    closeAll();
    // An upgrade that read PostgreSQL just before the COMMIT opens after this; once more,
    // after a moment, for those (unless it was restored meanwhile).
    if (change === 'trashed') {
      setTimeout(() => {
        this.store.info(name).then(
          (info) => {
            if (info?.trashedAt !== undefined) closeAll();
          },
          () => undefined,
        );
      }, LATE_TRASH_CHECK_MS).unref();
    }
    if (change === 'deleted') {
      relay.rooms.discard(name).catch((error: unknown) => {
        this.options.log.warn({ err: error, doc: name }, 'discarding a deleted document failed');
      });
    }
  }

  /** One query for the newest number of every loaded document; repairs what lags. */
  private async checkLatest(): Promise<void> {
    if (this.checking || this.closed || this.links.size === 0) return;
    this.checking = true;
    const started = performance.now();
    try {
      const channels = [...this.links.values()].map((links) => links.doc);
      const latest = await this.store.latestSeqs(channels.map((doc) => doc.name));
      for (const doc of channels) {
        const seq = latest.get(doc.name);
        if (seq !== undefined) doc.checkLatest(seq);
      }
    } catch (error) {
      this.options.log.debug({ err: error }, 'newest-number check failed');
    } finally {
      this.clusterMetrics.databaseSeconds.observe(
        { operation: 'latest_seqs' },
        (performance.now() - started) / 1000,
      );
      this.checking = false;
    }
  }
}

export const startCluster = (options: ClusterOptions): Promise<Cluster> => Cluster.start(options);
