/**
 * The document list behind `GET /api/docs`: what the store knows, with live titles of loaded
 * documents (their newest edits may still be on their way to disk), newest first.
 */
import type { DocStore } from '@weft/storage';
import type { Rooms } from './rooms';

export interface DocSummary {
  readonly name: string;
  readonly title: string | null;
  readonly bytes: number;
  readonly modified: number;
}

export async function listDocuments(store: DocStore, rooms: Rooms): Promise<DocSummary[]> {
  const stored = await store.list();
  return stored
    .map((info) => {
      const live = rooms.peek(info.name)?.doc.getMap('meta').get('title');
      const title = typeof live === 'string' ? live : (info.title ?? null);
      return { name: info.name, title, bytes: info.bytes, modified: info.modified };
    })
    .sort((a, b) => b.modified - a.modified);
}
