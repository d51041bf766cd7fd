/**
 * One loaded document's link to the other relays: publishes what this relay committed,
 * applies what the others committed, and repairs from PostgreSQL whatever it missed.
 *
 * - **Publish after COMMIT.** `committed` runs once an append has returned from PostgreSQL
 *   with the batch's sequence numbers, and publishes the batch merged, with those numbers. So
 *   another relay only ever applies updates that PostgreSQL holds, and it may treat everything
 *   its document holds, minus its own queue, as stored — the assumption behind its saved
 *   acknowledgements. Publishing first would save a commit's time in the fan-out, and let a
 *   remote relay acknowledge (as "nothing new") a client's re-sent edit that no COMMIT holds.
 * - **Apply** bus updates with the origin ALREADY_STORED: the room broadcasts them to its
 *   connections and never stores them again.
 * - **Repair** reads `updatesAfter(applied)`: every row after the last number this relay
 *   holds (rows merged by a compaction hold everything up to their number). It runs once
 *   after subscribing (what was committed between the load and the subscription), when a gap
 *   in the numbers lasts `gapGraceMs`, when the periodic check sees the newest number stay
 *   ahead of `applied` twice running (a lost last message), and after Redis comes back.
 *   Repairs of one document never overlap; one asked for while one runs runs after it.
 */
import type { DocInfo } from '@weft/storage';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { ALREADY_STORED, type Room } from '../room';
import { decodeDocMessage, docChannel, encodeDocMessage } from './bus-messages';
import type { ClusterMetrics } from './cluster-metrics';
import type { ClusterStore } from './cluster-store';
import type { RedisBus } from './redis-bus';
import { SeqTracker } from './seq-tracker';

export type RepairReason = 'load' | 'gap' | 'tail' | 'reconnect';

export interface DocChannelContext {
  readonly relayId: string;
  readonly bus: RedisBus;
  readonly store: ClusterStore;
  readonly metrics: ClusterMetrics;
  readonly log: Logger;
  /** How long a gap in the numbers may last before it is repaired (messages in flight). */
  readonly gapGraceMs: number;
}

export class DocChannel {
  private readonly seqs: SeqTracker;
  private readonly channel: string;
  private repairing: Promise<void> | null = null;
  private repairAgain: RepairReason | null = null;
  private gapTimer: NodeJS.Timeout | null = null;
  /** The newest number the last periodic check saw ahead of `applied`, or -1. */
  private suspect = -1;
  private stopped = false;

  constructor(
    private readonly room: Room,
    loadedSeq: number,
    private readonly context: DocChannelContext,
  ) {
    this.seqs = new SeqTracker(loadedSeq);
    this.channel = docChannel(room.name);
  }

  /** Every update numbered up to this is in the room's document. */
  get applied(): number {
    return this.seqs.applied;
  }

  get name(): string {
    return this.room.name;
  }

  /** Subscribes, then repairs what was committed since the load. */
  async start(): Promise<void> {
    await this.context.bus.subscribe(this.channel, this.handleMessage);
    await this.repair('load');
  }

  stop(): void {
    this.stopped = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
    void this.context.bus.unsubscribe(this.channel, this.handleMessage);
  }

  /** This relay's persister committed `updates`; `info` carries their last number. */
  committed(updates: readonly Uint8Array[], info: DocInfo): void {
    const last = 'seq' in info && typeof info.seq === 'number' ? info.seq : null;
    if (last === null || updates.length === 0) return;
    const first = last - updates.length + 1;
    this.seqs.note(first, last);
    this.watchGap();
    const update = updates.length === 1 && updates[0] ? updates[0] : Y.mergeUpdates([...updates]);
    const message = encodeDocMessage({
      relay: this.context.relayId,
      first,
      last,
      update,
      sentAt: Date.now(),
    });
    void this.context.bus.publish(this.channel, message).then((sent) => {
      this.context.metrics.published.inc({ result: sent ? 'sent' : 'failed' });
    });
  }

  /** The periodic check's newest number for this document. */
  checkLatest(latest: number): void {
    if (latest <= this.seqs.applied) {
      this.suspect = -1;
      return;
    }
    // Ahead once may be a commit whose message is on its way; ahead twice is a lost message.
    if (this.suspect !== -1 && this.seqs.applied < this.suspect) void this.repair('tail');
    this.suspect = latest;
  }

  /** Reads and applies every committed update after `applied`. Never rejects. */
  repair(reason: RepairReason): Promise<void> {
    if (this.repairing) {
      this.repairAgain ??= reason;
      return this.repairing;
    }
    this.repairing = this.repairOnce(reason).finally(() => {
      this.repairing = null;
      const again = this.repairAgain;
      this.repairAgain = null;
      if (again && !this.stopped) void this.repair(again);
    });
    return this.repairing;
  }

  private async repairOnce(reason: RepairReason): Promise<void> {
    if (this.stopped) return;
    const { store, metrics, log } = this.context;
    const from = this.seqs.applied;
    const started = performance.now();
    let rows;
    try {
      rows = await store.updatesAfter(this.room.name, from);
    } catch (error) {
      log.warn({ err: error, doc: this.room.name, reason }, 'repair from PostgreSQL failed');
      this.watchGap();
      return;
    } finally {
      metrics.databaseSeconds.observe(
        { operation: 'updates_after' },
        (performance.now() - started) / 1000,
      );
    }
    metrics.repairs.inc({ reason });
    metrics.repairedRows.inc(rows.length);
    // Unloaded while PostgreSQL answered: the room is gone.
    if (this.isStopped()) return;
    const last = rows.at(-1);
    if (last) {
      this.room.doc.transact(() => {
        for (const row of rows) Y.applyUpdate(this.room.doc, row.update);
      }, ALREADY_STORED);
      this.seqs.repaired(last.seq);
      if (reason !== 'load' || rows.length > 0) {
        log.debug({ doc: this.room.name, reason, from, through: last.seq }, 'repaired');
      }
    }
    this.watchGap();
  }

  /** A function, so that a check after an await reads the field anew. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private readonly handleMessage = (bytes: Uint8Array): void => {
    let message;
    try {
      message = decodeDocMessage(bytes);
    } catch (error) {
      this.context.metrics.malformed.inc();
      this.context.log.warn({ err: error, doc: this.room.name }, 'ignored a malformed bus message');
      return;
    }
    if (message.relay === this.context.relayId || this.stopped) return;
    this.context.metrics.busLag.observe(Math.max(0, Date.now() - message.sentAt) / 1000);
    if (!this.seqs.note(message.first, message.last)) return;
    Y.applyUpdate(this.room.doc, message.update, ALREADY_STORED);
    this.watchGap();
  };

  /** Repairs a gap that is still open after the grace period. */
  private watchGap(): void {
    if (this.stopped) return;
    const gap = this.seqs.gap;
    if (gap === null) {
      if (this.gapTimer) clearTimeout(this.gapTimer);
      this.gapTimer = null;
      return;
    }
    if (this.gapTimer) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.seqs.gap !== null) void this.repair('gap');
    }, this.context.gapGraceMs);
    this.gapTimer.unref();
  }
}
