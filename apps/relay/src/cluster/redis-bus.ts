/**
 * The relays' bus: Redis pub/sub through two ioredis connections, one that publishes and one
 * that subscribes (a subscribed Redis connection can do nothing else). Pub/sub is
 * at-most-once and Redis keeps nothing; that is enough because the bus only carries what
 * PostgreSQL already holds, and a relay that misses something repairs it from PostgreSQL
 * (doc-channel.ts). Why pub/sub rather than streams: README, "Cluster mode".
 *
 * - Both connections reconnect on their own, forever, with backoff up to 2 s; ioredis
 *   subscribes again to every channel after a reconnect. `onReconnect` listeners run once the
 *   subscriber is back: whatever was published meanwhile was lost to this relay.
 * - `publish` never queues while Redis is away (offline queue off): it fails at once, and the
 *   message is simply not sent (the receivers' checks find the commit in PostgreSQL).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type BusHandler = (message: Uint8Array) => void;

export interface RedisBusOptions {
  readonly url: string;
  readonly log: Logger;
  /** Called after the subscriber reconnected, and when either connection's state changes. */
  readonly onStateChange?: (connected: boolean) => void;
  /**
   * Tests only: every received message goes through this, which may call `deliver` later,
   * twice, or never (a bus that delays, duplicates and drops). Default: delivered at once.
   */
  readonly intercept?: (channel: string, deliver: () => void) => void;
}

const MAX_RECONNECT_DELAY_MS = 2000;

export class RedisBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<BusHandler>>();
  private readonly reconnectListeners = new Set<() => void>();
  private subscriberWasReady = false;
  private closed = false;

  private constructor(private readonly options: RedisBusOptions) {
    const common = {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) =>
        Math.min(50 * 2 ** Math.min(times, 6), MAX_RECONNECT_DELAY_MS),
      connectTimeout: 2000,
    };
    this.publisher = new Redis(options.url, { ...common, enableOfflineQueue: false });
    this.subscriber = new Redis(options.url, { ...common, autoResubscribe: true });
    for (const [role, client] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      // Without a listener an unreachable Redis would crash the relay; the state says enough.
      client.on('error', (error: Error) => {
        options.log.debug({ err: error, role }, 'redis connection error');
      });
      client.on('close', () => this.stateChanged());
      client.on('ready', () => this.stateChanged());
    }
    this.subscriber.on('ready', () => {
      // ioredis resubscribes to what Redis had confirmed; a SUBSCRIBE that failed during the
      // outage (a document loaded meanwhile) is sent again here. Subscribing twice is harmless.
      if (this.subscriberWasReady && this.handlers.size > 0) {
        this.subscriber.subscribe(...this.handlers.keys()).catch((error: unknown) => {
          options.log.warn({ err: error }, 'resubscribing after a reconnect failed');
        });
      }
      if (this.subscriberWasReady) {
        options.log.warn('reconnected to redis: repairing every loaded document from PostgreSQL');
        for (const listener of this.reconnectListeners) listener();
      }
      this.subscriberWasReady = true;
    });
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      const deliver = (): void => {
        for (const handler of this.handlers.get(name) ?? []) handler(bytes);
      };
      if (options.intercept) options.intercept(name, deliver);
      else deliver();
    });
  }

  /**
   * Connects both connections; rejects (and closes them) when Redis cannot be reached, so a
   * relay started with a wrong URL says so instead of running without its bus.
   */
  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const bus = new RedisBus(options);
    try {
      await Promise.all([bus.publisher.connect(), bus.subscriber.connect()]);
    } catch (error) {
      await bus.close();
      throw error;
    }
    return bus;
  }

  /** Both connections are up. */
  get connected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  /**
   * The publishing connection, for commands beside PUBLISH (the event feed's script and
   * stream reads). It never queues while Redis is away: commands fail at once.
   */
  commands(): Redis {
    return this.publisher;
  }

  /** Runs `listener` each time the subscriber is back after losing Redis. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  /**
   * Starts delivering `channel`'s messages to `handler`; resolves once Redis confirmed, or
   * once the SUBSCRIBE failed (Redis away: it is sent again when Redis is back).
   */
  async subscribe(channel: string, handler: BusHandler): Promise<void> {
    let listeners = this.handlers.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.handlers.set(channel, listeners);
    }
    listeners.add(handler);
    if (listeners.size > 1) return;
    try {
      await this.subscriber.subscribe(channel);
    } catch (error) {
      this.options.log.debug({ err: error, channel }, 'subscribe failed; retried on reconnect');
    }
  }

  async unsubscribe(channel: string, handler: BusHandler): Promise<void> {
    const listeners = this.handlers.get(channel);
    if (!listeners?.delete(handler) || listeners.size > 0) return;
    this.handlers.delete(channel);
    if (!this.closed) await this.subscriber.unsubscribe(channel).catch(() => undefined);
  }

  /** Sends `message` to every relay subscribed to `channel`; false when it could not be sent. */
  async publish(channel: string, message: Uint8Array): Promise<boolean> {
    if (this.closed || this.publisher.status !== 'ready') return false;
    try {
      await this.publisher.publish(
        channel,
        Buffer.from(message.buffer, message.byteOffset, message.byteLength),
      );
      return true;
    } catch (error) {
      this.options.log.debug({ err: error, channel }, 'publish failed');
      return false;
    }
  }

  /** Round trip to Redis within `timeoutMs`: null when it answered, else why not. */
  async problem(timeoutMs: number): Promise<string | null> {
    if (!this.connected) return 'redis is unreachable';
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`redis did not answer within ${timeoutMs} ms`), timeoutMs);
    });
    try {
      return await Promise.race([
        this.publisher.ping().then(
          () => null,
          (error: unknown) =>
            `redis ping failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
        timedOut,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reconnectListeners.clear();
    await Promise.all(
      [this.publisher, this.subscriber].map(async (client) => {
        if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
        else client.disconnect();
      }),
    );
  }

  private stateChanged(): void {
    if (!this.closed) this.options.onStateChange?.(this.connected);
  }
}
