/**
 * Which of one connection's document messages are durably stored: the bookkeeping behind the
 * counted saved acknowledgement (type 101, `@weft/protocol` stored-count.ts).
 *
 * Each document message the connection sends is numbered 1, 2, 3… in arrival order. Right
 * after the relay applies one, the persister's `queued` sequence covers every update the
 * message produced *and* every earlier update the document held but had not yet written —
 * which matters for a message that changes nothing (a deletion someone else already made,
 * a SyncStep2 on reconnect): its content is only durable once those are. So message n is
 * stored once the persister's `stored` sequence reaches the `queued` value read after it.
 */
export class StoredReceipts {
  private received = 0;
  private storedCount = 0;
  /** Messages not yet stored, as (count, sequence) pairs; both rise along the queue. */
  private readonly waiting: { count: number; sequence: number }[] = [];
  /** A message was refused with content the document lacks: nothing after it is stored. */
  private refused = false;

  /** How many of this connection's document messages are known to be stored. */
  get stored(): number {
    return this.storedCount;
  }

  /**
   * Records a message that has been applied (or carried nothing new). `queued` and `stored`
   * are the persister's sequences now. Returns the new stored count if it advanced.
   */
  accept(queued: number, stored: number): number | null {
    this.received++;
    if (this.refused) return null;
    const last = this.waiting.at(-1);
    // Messages that wait for the same write share one entry, so the queue stays as short as
    // the number of pending writes, not of messages.
    if (last?.sequence === queued) last.count = this.received;
    else this.waiting.push({ count: this.received, sequence: queued });
    return this.advance(stored);
  }

  /**
   * Records a message that was not applied although it carried content the document lacks
   * (a read-only connection's edit). The count never passes it: those edits are not stored.
   */
  refuse(): void {
    this.received++;
    this.refused = true;
  }

  /** The persister stored everything up to `stored`. Returns the new count if it advanced. */
  advance(stored: number): number | null {
    const before = this.storedCount;
    while (this.waiting.length > 0 && (this.waiting[0]?.sequence ?? Infinity) <= stored) {
      this.storedCount = this.waiting.shift()?.count ?? this.storedCount;
    }
    return this.storedCount > before ? this.storedCount : null;
  }
}
