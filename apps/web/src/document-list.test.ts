import { describe, expect, it } from 'vitest';
import { displayTitle, filterDocs, type DocSummary } from './document-list';

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
