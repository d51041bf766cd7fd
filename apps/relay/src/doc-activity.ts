/**
 * Turns what happens to documents into feed events (doc-events.ts): stored writes (created,
 * retitled, edited), connections coming and going (people), trash and restore.
 *
 * Edits are coalesced: at most one event per document every `coalesceMs` (2 s), the first at
 * once and the latest state at the end of the window, so a busy document costs subscribers a
 * trickle. A new title, the trash, a restore and a change in people are sent at once (and
 * restart the window), since a list shows them.
 */
import type { DocInfo, DocStore } from '@weft/storage';
import type { Logger } from 'pino';
import type { DocEvent, EventFeed } from './doc-events';

export const DEFAULT_COALESCE_MS = 2000;

interface Known {
  summary: DocEvent;
  lastSentAt: number;
  timer: NodeJS.Timeout | null;
}

export class DocActivity {
  private readonly known = new Map<string, Known>();
  private readonly people = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly feed: EventFeed,
    private readonly store: DocStore,
    private readonly log: Logger,
    private readonly coalesceMs: number = DEFAULT_COALESCE_MS,
  ) {}

  /** A write batch of `info.name` is stored. */
  stored(info: DocInfo): void {
    const known = this.known.get(info.name);
    const summary: DocEvent = {
      name: info.name,
      title: info.title ?? known?.summary.title ?? null,
      modified: info.modified,
      size: info.bytes,
      deleted: known?.summary.deleted ?? false,
      people: this.people.get(info.name) ?? 0,
    };
    const urgent = known === undefined || known.summary.title !== summary.title;
    this.update(summary, urgent);
  }

  /** A connection to `name` opened. */
  connected(name: string): void {
    this.people.set(name, (this.people.get(name) ?? 0) + 1);
    void this.peopleChanged(name);
  }

  disconnected(name: string): void {
    const left = (this.people.get(name) ?? 1) - 1;
    if (left > 0) this.people.set(name, left);
    else this.people.delete(name);
    void this.peopleChanged(name);
  }

  /** Connections open to `name` on this relay. */
  peopleIn(name: string): number {
    return this.people.get(name) ?? 0;
  }

  /** `name` was moved to the trash (`deleted`) or restored from it. */
  async trashChanged(name: string, deleted: boolean): Promise<void> {
    const base = await this.summaryOf(name);
    if (base === null) return;
    this.update({ ...base, deleted }, true);
  }

  /**
   * Another relay moved `name` to the trash or restored it (cluster mode): later events from
   * this relay (its people leaving, say) must carry that, and are not sent for it now.
   */
  heardTrashChange(name: string, deleted: boolean): void {
    const known = this.known.get(name);
    if (known) known.summary = { ...known.summary, deleted };
  }

  /** Stops pending coalesced events (shutdown). */
  close(): void {
    this.closed = true;
    for (const known of this.known.values()) if (known.timer) clearTimeout(known.timer);
  }

  private async peopleChanged(name: string): Promise<void> {
    const base = await this.summaryOf(name);
    // Never stored: not in any list yet, so nobody needs to hear who is in it.
    if (base === null) return;
    this.update({ ...base, people: this.peopleIn(name) }, true);
  }

  /** What was last known of `name`, else what the store says; null for a document not stored. */
  private async summaryOf(name: string): Promise<DocEvent | null> {
    const known = this.known.get(name);
    if (known) return known.summary;
    try {
      const info = await this.store.info(name);
      if (info === null) return null;
      return (
        this.known.get(name)?.summary ?? {
          name,
          title: info.title ?? null,
          modified: info.modified,
          size: info.bytes,
          deleted: info.trashedAt !== undefined,
          people: this.peopleIn(name),
        }
      );
    } catch (error) {
      this.log.warn({ err: error, doc: name }, 'document event skipped: info failed');
      return null;
    }
  }

  private update(summary: DocEvent, urgent: boolean): void {
    if (this.closed) return;
    const now = performance.now();
    const known = this.known.get(summary.name);
    if (!known) {
      this.known.set(summary.name, { summary, lastSentAt: now, timer: null });
      this.feed.publish(summary);
      return;
    }
    known.summary = summary;
    if (urgent || now - known.lastSentAt >= this.coalesceMs) {
      this.send(known);
      return;
    }
    if (known.timer) return;
    known.timer = setTimeout(() => this.send(known), known.lastSentAt + this.coalesceMs - now);
    known.timer.unref();
  }

  private send(known: Known): void {
    if (known.timer) clearTimeout(known.timer);
    known.timer = null;
    known.lastSentAt = performance.now();
    if (!this.closed) this.feed.publish(known.summary);
  }
}
