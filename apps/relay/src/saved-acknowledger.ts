/**
 * Who hears about durable writes, and when.
 *
 * A client's save status covers everything its document holds, including the edits it
 * received from others, so every member that opted in needs to learn what is stored. But a
 * busy document is written many times a second, and acknowledging every write to every
 * member made acknowledgements the relay's most frequent frame. So:
 *
 * - the authors of a batch (the connections whose own edits it stored) are told at once:
 *   their user is waiting for "saved";
 * - everyone else is told the latest stored state at most every `passiveIntervalMs`: their
 *   indicator turns "saved" a moment later, and a document with 20 readers costs a handful
 *   of acknowledgements a second instead of 20 per write.
 * - a busy document broadcasts many times a second, and an acknowledgement sent on its own
 *   costs each member a system call of its own. So when the room broadcasts in the last
 *   `rideAlongMs` before the passive acknowledgement is due, it goes out with that broadcast
 *   (room.ts calls `withBroadcast`), in the same write to each socket (write-coalescer.ts).
 *   Passive acknowledgements are then at least `passiveIntervalMs - rideAlongMs` apart.
 *
 * Every acknowledgement is still true when sent: it names a state vector that was stored.
 */
import { encodeSavedAck } from '@weft/protocol';
import type { RoomMember } from './room';
import { SharedFrame } from './shared-frame';

export class SavedAcknowledger {
  /** The acknowledgement of the latest write, once encoded. */
  private latest: SharedFrame | null = null;
  /** The acknowledgement frame each member was last sent. */
  private readonly lastSent = new WeakMap<RoomMember, SharedFrame>();
  private timer: NodeJS.Timeout | null = null;
  /** When `timer` was armed (`now()`). */
  private armedAt = 0;

  constructor(
    private readonly members: ReadonlySet<RoomMember>,
    private readonly passiveIntervalMs: number,
    private readonly rideAlongMs = passiveIntervalMs / 5,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A write batch stored `vector`; `authors` are the origins of its updates. */
  saved(vector: Uint8Array, authors: ReadonlySet<unknown>): void {
    const frame = new SharedFrame(encodeSavedAck(vector));
    this.latest = frame;
    for (const author of authors) {
      if (this.members.has(author as RoomMember)) this.tell(author as RoomMember, frame);
    }
    if (this.timer === null) {
      this.armedAt = this.now();
      this.timer = setTimeout(this.tellEveryone, this.passiveIntervalMs);
    }
  }

  /**
   * The room broadcast this turn (its writes are held until the turn ends): a passive
   * acknowledgement due within `rideAlongMs` goes now, in the same write as the broadcast.
   */
  withBroadcast(): void {
    if (this.timer === null) return;
    if (this.now() - this.armedAt < this.passiveIntervalMs - this.rideAlongMs) return;
    clearTimeout(this.timer);
    this.tellEveryone();
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly tellEveryone = (): void => {
    this.timer = null;
    const frame = this.latest;
    if (!frame) return;
    for (const member of this.members) {
      if (this.lastSent.get(member) !== frame) this.tell(member, frame);
    }
  };

  private tell(member: RoomMember, frame: SharedFrame): void {
    if (!member.wantsSaved) return;
    this.lastSent.set(member, frame);
    member.send(frame);
  }
}
