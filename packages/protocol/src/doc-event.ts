/**
 * The `doc` event of `GET /api/events` (Server-Sent Events): what a document list shows of
 * one document. The relay writes it (apps/relay doc-events.ts), the browser reads it.
 */
export interface DocEvent {
  readonly name: string;
  readonly title: string | null;
  /** Epoch ms of the last stored edit. */
  readonly modified: number;
  /** Bytes stored. */
  readonly size: number;
  /** In the trash. */
  readonly deleted: boolean;
  /**
   * Connections open to the document now. What a relay publishes is its own count; a shared
   * feed (the relay's cluster/redis-event-feed.ts) hands subscribers the sum over every relay
   * alive.
   */
  readonly people: number;
}

/** `data` of a `doc` event, or null when it is not one (a relay bug must not break a list). */
export function parseDocEvent(data: string): DocEvent | null {
  try {
    const value = JSON.parse(data) as Record<string, unknown> | null;
    if (typeof value !== 'object' || value === null) return null;
    const { name, title, modified, size, deleted, people } = value;
    if (
      typeof name !== 'string' ||
      (title !== null && typeof title !== 'string') ||
      typeof modified !== 'number' ||
      typeof size !== 'number' ||
      typeof deleted !== 'boolean' ||
      typeof people !== 'number'
    ) {
      return null;
    }
    return { name, title, modified, size, deleted, people };
  } catch {
    return null;
  }
}
