/**
 * The text as runs of one author each: Y.Text's items carry the Yjs client id that inserted
 * them, and the relay's authorship table says whose each client id is.
 */
import { USER_COLORS } from '@weft/client';
import * as Y from 'yjs';
import type { AuthorEntry } from './history-api';

export interface AuthoredRun {
  readonly text: string;
  /** Null when the relay does not know the client id (written before it kept a table). */
  readonly author: AuthorEntry | null;
}

/** The visible text of `text`, split where the author changes. */
export function authoredRuns(
  text: Y.Text,
  authors: ReadonlyMap<number, AuthorEntry>,
): AuthoredRun[] {
  const runs: { text: string; author: AuthorEntry | null }[] = [];
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    const author = authors.get(item.id.client) ?? null;
    const last = runs[runs.length - 1];
    if (last && (last.author?.id ?? null) === (author?.id ?? null)) last.text += item.content.str;
    else runs.push({ text: item.content.str, author });
  }
  return runs;
}

/** An author's colour: their own (local mode), else one of the palette picked by their id. */
export function authorColor(author: AuthorEntry): string {
  if (author.color) return author.color;
  let hash = 0;
  for (const char of author.id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return USER_COLORS[hash % USER_COLORS.length] ?? USER_COLORS[0];
}
