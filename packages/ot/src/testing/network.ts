/**
 * A simulated network for the OT engine: one server, several clients, every link FIFO with a
 * random delay per message. Links can be paused (offline: messages wait) or dropped
 * (disconnected: messages in flight are lost, and the client resends and catches up when it
 * reconnects). Time advances in ticks; everything is driven by one seeded PRNG.
 */
import { OtClient } from '../client';
import type { RevisionRecord, SubmitMessage } from '../protocol';
import { OtServer } from '../server';
import type { Component } from '../types';
import type { Random } from './random';

interface Queued<T> {
  readonly at: number;
  readonly message: T;
}

class Link<T> {
  private queue: Queued<T>[] = [];

  constructor(
    private readonly random: Random,
    private readonly maxDelay: number,
  ) {}

  get size(): number {
    return this.queue.length;
  }

  /** Queues `message`, never ahead of one sent earlier (FIFO). */
  send(message: T, now: number): void {
    const last = this.queue.at(-1)?.at ?? 0;
    this.queue.push({ at: Math.max(now + 1 + this.random.int(this.maxDelay), last), message });
  }

  /** Messages due by `now`, in order. */
  due(now: number): T[] {
    let count = 0;
    while (count < this.queue.length && (this.queue[count]?.at ?? Infinity) <= now) count++;
    return this.queue.splice(0, count).map((q) => q.message);
  }

  clear(): void {
    this.queue = [];
  }
}

interface Peer {
  readonly client: OtClient;
  readonly up: Link<SubmitMessage>;
  readonly down: Link<RevisionRecord>;
  link: 'online' | 'paused' | 'dropped';
}

export class SimulatedNetwork {
  readonly server: OtServer;
  private readonly peers: Peer[];
  /** The server's document at every revision, to check clients against along the way. */
  private readonly documents: string[];
  private now = 0;

  constructor(random: Random, options: { clients: number; initial: string; maxDelay: number }) {
    this.server = new OtServer(options.initial);
    this.documents = [options.initial];
    this.peers = Array.from({ length: options.clients }, (_, i) => ({
      client: new OtClient({ id: `client-${i}`, ...this.server.snapshot() }),
      up: new Link<SubmitMessage>(random, options.maxDelay),
      down: new Link<RevisionRecord>(random, options.maxDelay),
      link: 'online' as const,
    }));
  }

  get clients(): OtClient[] {
    return this.peers.map((peer) => peer.client);
  }

  /** A local edit on client `i`, sent if the client says so (lost if its link is dropped). */
  edit(i: number, op: readonly Component[]): void {
    const peer = this.peer(i);
    const message = peer.client.applyLocal(op);
    if (message && peer.link !== 'dropped') peer.up.send(message, this.now);
  }

  /** Offline with messages kept: the link delivers nothing until resumed. */
  pause(i: number): void {
    this.peer(i).link = 'paused';
  }

  resume(i: number): void {
    this.peer(i).link = 'online';
  }

  /** Disconnects client `i`, losing whatever is in flight in both directions. */
  drop(i: number): void {
    const peer = this.peer(i);
    peer.link = 'dropped';
    peer.up.clear();
    peer.down.clear();
  }

  /** Reconnects a dropped client: resend the unacknowledged op, then catch up from the server. */
  reconnect(i: number): void {
    const peer = this.peer(i);
    peer.link = 'online';
    const resent = peer.client.resend();
    const record = resent ? this.server.receive(resent) : null;
    if (record) this.broadcast(record, peer);
    for (const missed of this.server.recordsSince(peer.client.revision)) {
      peer.down.send(missed, this.now);
    }
  }

  /** One unit of time: deliver every message that is due on an online link. */
  tick(): void {
    this.now++;
    for (const peer of this.peers) {
      if (peer.link !== 'online') continue;
      for (const message of peer.up.due(this.now)) {
        const record = this.server.receive(message);
        if (record) this.broadcast(record);
      }
    }
    for (const peer of this.peers) {
      if (peer.link !== 'online') continue;
      for (const record of peer.down.due(this.now)) {
        const { send } = peer.client.receive(record);
        if (send) peer.up.send(send, this.now);
        this.checkAgainstServer(peer.client);
      }
    }
  }

  /** Brings every link online and ticks until nothing is in flight. */
  settle(maxTicks = 100_000): void {
    this.peers.forEach((peer, i) => {
      if (peer.link === 'dropped') this.reconnect(i);
      peer.link = 'online';
    });
    for (let n = 0; n < maxTicks; n++) {
      const busy = this.peers.some(
        (p) => p.up.size > 0 || p.down.size > 0 || p.client.state !== 'synchronized',
      );
      if (!busy) return;
      this.tick();
    }
    throw new Error(`The network did not settle within ${maxTicks} ticks`);
  }

  private broadcast(record: RevisionRecord, except?: Peer): void {
    this.documents.push(this.server.document);
    for (const peer of this.peers) {
      if (peer !== except && peer.link !== 'dropped') peer.down.send(record, this.now);
    }
  }

  /** A client with nothing unconfirmed must hold exactly the server's document at its revision. */
  private checkAgainstServer(client: OtClient): void {
    if (client.state !== 'synchronized') return;
    const expected = this.documents[client.revision];
    if (client.document !== expected) {
      throw new Error(
        `${client.id} at revision ${client.revision} has ${JSON.stringify(client.document)}, ` +
          `the server had ${JSON.stringify(expected)}`,
      );
    }
  }

  private peer(i: number): Peer {
    const peer = this.peers[i];
    if (!peer) throw new Error(`No client ${i}`);
    return peer;
  }
}
