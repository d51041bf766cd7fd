/**
 * The document list behind `GET /api/docs`: what the store knows, with live titles of loaded
 * documents (their newest edits may still be on their way to disk) and how many people are
 * in each, newest first. Documents in the trash are not listed.
 */
import type { DocStore } from '@weft/storage';
import type { Rooms } from './rooms';

export interface DocSummary {
  readonly name: string;
  readonly title: string | null;
  readonly bytes: number;
  readonly modified: number;
  /** Connections open to it now: on this relay, or on every relay in cluster mode. */
  readonly people: number;
}

export async function listDocuments(
  store: DocStore,
  rooms: Rooms,
  /** Cluster mode: the sum over every relay, from the shared event feed; undefined: unknown. */
  peopleIn: (name: string) => number | undefined = () => undefined,
): Promise<DocSummary[]> {
  const stored = await store.list();
  return stored
    .filter((info) => info.trashedAt === undefined)
    .map((info) => {
      const live = rooms.peek(info.name)?.doc.getMap('meta').get('title');
      const title = typeof live === 'string' ? live : (info.title ?? null);
      const people = peopleIn(info.name) ?? rooms.peek(info.name)?.members.size ?? 0;
      return { name: info.name, title, bytes: info.bytes, modified: info.modified, people };
    })
    .sort((a, b) => b.modified - a.modified);
}
