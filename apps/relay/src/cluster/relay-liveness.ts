/**
 * Which other relays are alive: every relay publishes a heartbeat on `weft:relays` every
 * `beatMs`, and one not heard from (heartbeat or any presence message) for `deadAfterMs` is
 * taken for dead, as is one that says it is leaving (graceful shutdown). `onGone` then
 * removes its users' presence everywhere. Nothing is stored in Redis: a relay that restarts
 * gets a new id and is a new relay.
 *
 * With the defaults (beat 1 s, dead after 5 s, checked every beat) a SIGKILLed relay's users
 * disappear from the other relays within 6 s.
 */
import type { Logger } from 'pino';
import { decodeRelayBeat, encodeRelayBeat, RELAYS_CHANNEL } from './bus-messages';
import type { ClusterMetrics } from './cluster-metrics';
import { FromRelay } from './presence-channel';
import type { RedisBus } from './redis-bus';

export interface LivenessOptions {
  readonly beatMs: number;
  readonly deadAfterMs: number;
}

export class RelayLiveness {
  private readonly lastHeard = new Map<string, number>();
  private readonly origins = new Map<string, FromRelay>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly relayId: string,
    private readonly bus: RedisBus,
    private readonly options: LivenessOptions,
    private readonly onGone: (relay: string) => void,
    private readonly metrics: ClusterMetrics,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.bus.subscribe(RELAYS_CHANNEL, this.handleBeat);
    this.beat();
    this.timer = setInterval(() => {
      this.beat();
      this.sweep();
    }, this.options.beatMs);
    this.timer.unref();
  }

  /** Says goodbye (the others drop this relay's users at once) and stops beating. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.bus.publish(RELAYS_CHANNEL, encodeRelayBeat({ relay: this.relayId, leaving: true }));
    await this.bus.unsubscribe(RELAYS_CHANNEL, this.handleBeat);
  }

  /** Notes that `relay` is alive; the origin its presence changes are applied with. */
  heard(relay: string): FromRelay {
    this.lastHeard.set(relay, performance.now());
    let origin = this.origins.get(relay);
    if (!origin) {
      origin = new FromRelay(relay);
      this.origins.set(relay, origin);
      this.metrics.peers.set(this.lastHeard.size);
    }
    return origin;
  }

  private beat(): void {
    void this.bus.publish(RELAYS_CHANNEL, encodeRelayBeat({ relay: this.relayId, leaving: false }));
  }

  private sweep(): void {
    const now = performance.now();
    for (const [relay, at] of this.lastHeard) {
      if (now - at > this.options.deadAfterMs) this.gone(relay, 'not heard from');
    }
  }

  private gone(relay: string, why: string): void {
    if (!this.lastHeard.delete(relay)) return;
    this.metrics.peers.set(this.lastHeard.size);
    this.log.info({ relay, why }, 'relay gone: removing its users’ presence');
    this.onGone(relay);
    this.origins.delete(relay);
  }

  private readonly handleBeat = (bytes: Uint8Array): void => {
    let beat;
    try {
      beat = decodeRelayBeat(bytes);
    } catch {
      this.metrics.malformed.inc();
      return;
    }
    if (beat.relay === this.relayId) return;
    if (beat.leaving) {
      // Known or not: its users' presence may have reached us without a heartbeat yet.
      this.heard(beat.relay);
      this.gone(beat.relay, 'leaving');
    } else {
      this.heard(beat.relay);
    }
  };
}
