/**
 * One loaded document's presence (awareness: cursors, names) across relays. Never stored:
 * it lives in the relays' memory and crosses through Redis pub/sub only.
 *
 * - **Ownership per relay.** A client id is *local* once one of this relay's connections set
 *   its state; only local ids are published, so relays never echo each other. Ids set by a
 *   message from another relay are owned by that relay (`remoteOwners`).
 * - **A relay that dies** takes its users' presence with it: when relay-liveness.ts stops
 *   hearing it, `dropRelay` removes every id it owned, and the room tells its connections. The
 *   ids' clocks are forgotten too, so the same users are taken back at once when they
 *   reconnect elsewhere and that relay publishes them.
 * - **Joining late.** On subscribing (and after Redis comes back) a relay asks the others
 *   for their users' presence and publishes its own, so a new user sees every cursor at once
 *   rather than at the next 15 s renewal.
 */
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { AwarenessChange, Room } from '../room';
import {
  decodePresenceMessage,
  encodePresenceMessage,
  presenceChannel,
  type PresenceMessage,
} from './bus-messages';
import type { ClusterMetrics } from './cluster-metrics';
import type { RedisBus } from './redis-bus';

/** The origin of awareness changes applied from another relay's message. */
export class FromRelay {
  constructor(readonly relay: string) {}
}

export interface PresenceContext {
  readonly relayId: string;
  readonly bus: RedisBus;
  readonly metrics: ClusterMetrics;
  readonly log: Logger;
  /** A message from `relay` arrived (it is alive); returns the origin object for it. */
  readonly heard: (relay: string) => FromRelay;
}

export class PresenceChannel {
  private readonly localIds = new Set<number>();
  private readonly remoteOwners = new Map<number, string>();
  private readonly channel: string;
  private stopped = false;

  constructor(
    private readonly room: Room,
    private readonly context: PresenceContext,
  ) {
    this.channel = presenceChannel(room.name);
  }

  async start(): Promise<void> {
    this.room.awareness.on('update', this.handleAwarenessChange);
    await this.context.bus.subscribe(this.channel, this.handleMessage);
    this.announce();
  }

  stop(): void {
    this.stopped = true;
    this.room.awareness.off('update', this.handleAwarenessChange);
    void this.context.bus.unsubscribe(this.channel, this.handleMessage);
  }

  /** Publishes every local user's presence and asks the others for theirs (after a reconnect). */
  announce(): void {
    this.publishLocal([...this.localIds]);
    this.publish({ kind: 'query', relay: this.context.relayId });
  }

  /** Removes the presence of every user whose relay is gone. */
  dropRelay(relay: string): void {
    const ids = [...this.remoteOwners].filter(([, owner]) => owner === relay).map(([id]) => id);
    if (ids.length === 0) return;
    const { awareness } = this.room;
    awarenessProtocol.removeAwarenessStates(awareness, ids, new FromRelay(relay));
    // Forget their clocks: the same users, reconnected to another relay, come back with the
    // clock they had, which an awareness that remembers it would refuse as old.
    for (const id of ids) awareness.meta.delete(id);
  }

  private readonly handleAwarenessChange = (change: AwarenessChange, origin: unknown): void => {
    if (origin instanceof FromRelay) {
      for (const id of [...change.added, ...change.updated]) {
        this.remoteOwners.set(id, origin.relay);
        this.localIds.delete(id);
      }
      for (const id of change.removed) this.remoteOwners.delete(id);
      return;
    }
    const fromLocalMember = this.room.members.has(origin as never);
    const changed: number[] = [];
    for (const id of [...change.added, ...change.updated]) {
      if (fromLocalMember) {
        this.localIds.add(id);
        this.remoteOwners.delete(id);
      }
      if (this.localIds.has(id)) changed.push(id);
    }
    // A local connection closed or timed out: its ids are removed for the other relays too.
    for (const id of change.removed) if (this.localIds.delete(id)) changed.push(id);
    this.publishLocal(changed);
  };

  private publishLocal(ids: number[]): void {
    if (ids.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, ids);
    this.publish({ kind: 'update', relay: this.context.relayId, update });
  }

  private publish(message: PresenceMessage): void {
    if (this.stopped) return;
    void this.context.bus.publish(this.channel, encodePresenceMessage(message));
  }

  private readonly handleMessage = (bytes: Uint8Array): void => {
    let message;
    try {
      message = decodePresenceMessage(bytes);
    } catch (error) {
      this.context.metrics.malformed.inc();
      this.context.log.warn(
        { err: error, doc: this.room.name },
        'ignored a malformed presence message',
      );
      return;
    }
    if (message.relay === this.context.relayId || this.stopped) return;
    const origin = this.context.heard(message.relay);
    if (message.kind === 'query') {
      this.publishLocal([...this.localIds]);
      return;
    }
    try {
      awarenessProtocol.applyAwarenessUpdate(this.room.awareness, message.update, origin);
    } catch (error) {
      this.context.metrics.malformed.inc();
      this.context.log.warn(
        { err: error, doc: this.room.name },
        'ignored a malformed presence update',
      );
    }
  };
}
