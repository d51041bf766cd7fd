/**
 * Creating a document by title: the title is what people typed (any text at all), the address
 * is derived from it — a readable slug plus a short random suffix, so two "Meeting notes"
 * never land in the same document. Addresses keep the strict public rule (`docNameProblem`);
 * titles have none beyond their length.
 *
 *   const { name, title } = newDocument('Meeting notes'); // meeting-notes-k3x9q, Meeting notes
 *
 * The title travels to the editor page through sessionStorage (`rememberNewTitle`), which
 * writes it into the document's `meta` map once the document is open (`takeNewTitle`).
 */
import { DOC_NAME_MAX_LENGTH } from '@weft/protocol';
import { randomDocName } from '../doc-names';

/** The title of a document created without one. */
export const UNTITLED = 'Untitled';

/** Longest slug part, leaving room for the suffix and keeping addresses readable. */
export const SLUG_MAX_LENGTH = 60;

const SUFFIX_LENGTH = 5;
const SUFFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/**
 * `title` as ASCII letters, digits and single dashes: accents folded (`Café` → `cafe`),
 * everything else a word break, lower case, at most SLUG_MAX_LENGTH characters cut at a word
 * break when there is one. Empty when nothing in the title survives (emoji, CJK, punctuation).
 */
export function slugify(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug === '' ? word : `${slug}-${word}`;
    if (next.length > SLUG_MAX_LENGTH) {
      // One overlong first word is cut; otherwise stop at the last whole word.
      if (slug === '') slug = word.slice(0, SLUG_MAX_LENGTH);
      break;
    }
    slug = next;
  }
  return slug;
}

/** A short random suffix from an alphabet without look-alikes (no l, o, 0, 1). */
export function randomSuffix(random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)] ?? 'x';
  }
  return suffix;
}

export interface NewDocument {
  /** The address: a valid document name. */
  readonly name: string;
  /** What the list and the editor show. */
  readonly title: string;
}

/** The title and address of a document created from what was typed (maybe nothing). */
export function newDocument(typed: string, random: () => number = Math.random): NewDocument {
  const title = typed.replace(/\s+/g, ' ').trim();
  if (title === '') return { name: randomDocName(), title: UNTITLED };
  const slug = slugify(title) || 'doc';
  const name = `${slug}-${randomSuffix(random)}`.slice(0, DOC_NAME_MAX_LENGTH);
  return { name, title };
}

const PENDING_PREFIX = 'weft:new-title:';

/** Keeps `title` for the editor page of `name` to write once the document is open. */
export function rememberNewTitle(name: string, title: string, storage: Storage | null = session()) {
  try {
    storage?.setItem(PENDING_PREFIX + name, title);
  } catch {
    // Storage full or blocked: the document opens untitled and can be named in the editor.
  }
}

/** The title waiting for `name`, once: later calls answer null. */
export function takeNewTitle(name: string, storage: Storage | null = session()): string | null {
  try {
    const title = storage?.getItem(PENDING_PREFIX + name) ?? null;
    if (title !== null) storage?.removeItem(PENDING_PREFIX + name);
    return title;
  } catch {
    return null;
  }
}

function session(): Storage | null {
  return typeof sessionStorage === 'undefined' ? null : sessionStorage;
}
