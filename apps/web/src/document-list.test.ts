import type { DocEvent } from '@weft/protocol';
import { describe, expect, it } from 'vitest';
import {
  DocListAccessError,
  applyDocEvent,
  displayTitle,
  fetchDocs,
  filterDocs,
  type DocSummary,
} from './document-list';

const doc = (name: string, title: string | null, modified: number): DocSummary => ({
  name,
  title,
  bytes: 10,
  modified,
});

const docs = [
  doc('amber-river-1111', 'Launch plan', 1),
  doc('cedar-grove-2222', null, 3),
  doc('dawn-field-3333', 'Café notes', 2),
];
const newestFirst = (a: DocSummary, b: DocSummary) => b.modified - a.modified;

describe('document list', () => {
  it('orders newest first', () => {
    expect(filterDocs(docs, '', newestFirst).map((d) => d.name)).toEqual([
      'cedar-grove-2222',
      'dawn-field-3333',
      'amber-river-1111',
    ]);
  });

  it('filters on title and name, every word, ignoring case and accents', () => {
    expect(filterDocs(docs, 'launch', newestFirst).map((d) => d.name)).toEqual([
      'amber-river-1111',
    ]);
    expect(filterDocs(docs, 'CAFE', newestFirst)).toHaveLength(1);
    expect(filterDocs(docs, 'grove', newestFirst)).toHaveLength(1);
    expect(filterDocs(docs, 'plan amber', newestFirst)).toHaveLength(1);
    expect(filterDocs(docs, 'plan cedar', newestFirst)).toHaveLength(0);
  });

  it('shows the name for untitled documents', () => {
    expect(displayTitle(doc('x-y-1', null, 0))).toBe('x-y-1');
    expect(displayTitle(doc('x-y-1', '  ', 0))).toBe('x-y-1');
    expect(displayTitle(doc('x-y-1', 'Notes', 0))).toBe('Notes');
  });
});

describe('fetchDocs', () => {
  const summary = (name: string) => ({ name, title: null, bytes: 1, modified: 1 });
  /** A relay that lists `docsByToken[token]`, and answers 401 to other tokens. */
  function relay(docsByToken: Record<string, string[]>, seen: (string | null)[] = []) {
    return (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const header = new Headers(init?.headers).get('authorization');
      const token = header?.replace(/^Bearer /, '') ?? null;
      seen.push(token);
      const names = docsByToken[token ?? ''];
      if (names === undefined) return Promise.resolve(new Response('{}', { status: 401 }));
      return Promise.resolve(Response.json({ docs: names.map(summary) }));
    };
  }
  const signal = new AbortController().signal;

  it('asks once without a token in local mode', async () => {
    const seen: (string | null)[] = [];
    const docs = await fetchDocs(signal, [], relay({ '': ['a'] }, seen));
    expect(docs.map((doc) => doc.name)).toEqual(['a']);
    expect(seen).toEqual([null]);
  });

  it('merges what each token may see, ignoring refused tokens', async () => {
    const seen: (string | null)[] = [];
    const fetchImpl = relay({ t1: ['team-a', 'team-b'], t2: ['notes', 'team-a'] }, seen);
    const docs = await fetchDocs(signal, ['t1', 't2', 'stale'], fetchImpl);
    expect(docs.map((doc) => doc.name).sort()).toEqual(['notes', 'team-a', 'team-b']);
    expect(seen).toEqual(['t1', 't2', 'stale']);
  });

  it('says the server needs access when it refuses everything', async () => {
    await expect(fetchDocs(signal, [], relay({}))).rejects.toBeInstanceOf(DocListAccessError);
    await expect(fetchDocs(signal, ['old'], relay({}))).rejects.toBeInstanceOf(DocListAccessError);
  });

  it('reports a network failure as such', async () => {
    const down = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(fetchDocs(signal, ['t'], down)).rejects.toBeInstanceOf(TypeError);
  });
});

describe('live list events', () => {
  const event = (name: string, extra: Partial<DocEvent> = {}): DocEvent => ({
    name,
    title: 'T',
    modified: 5,
    size: 20,
    deleted: false,
    people: 2,
    ...extra,
  });

  it('adds a new document, updates a known one, and removes a trashed one', () => {
    const added = applyDocEvent(docs, event('new-doc'));
    expect(added.map((d) => d.name)).toContain('new-doc');
    expect(added.find((d) => d.name === 'new-doc')).toMatchObject({ bytes: 20, people: 2 });
    const renamed = applyDocEvent(added, event('amber-river-1111', { title: 'Renamed' }));
    expect(renamed.filter((d) => d.name === 'amber-river-1111')).toHaveLength(1);
    expect(renamed.find((d) => d.name === 'amber-river-1111')?.title).toBe('Renamed');
    const trashed = applyDocEvent(renamed, event('new-doc', { deleted: true }));
    expect(trashed.map((d) => d.name)).not.toContain('new-doc');
  });
});
