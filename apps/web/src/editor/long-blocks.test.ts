import { markdown, markdownLanguage } from '@codemirror/lang-markdown';
import { describe, expect, it } from 'vitest';
import { MAX_STYLED_BLOCK_CHARS, plainLongBlocks } from './long-blocks';

/** The parser the editor uses (extensions.ts). */
const parser = markdown({ base: markdownLanguage, extensions: plainLongBlocks }).language.parser;

/** Names of the nodes of `doc`'s tree that start inside [from, to). */
function nodesIn(doc: string, from: number, to: number): string[] {
  const names: string[] = [];
  parser.parse(doc).iterate({
    enter: (node) => {
      if (node.from >= from && node.from < to) names.push(node.name);
    },
  });
  return names;
}

/**
 * A paragraph of exactly `length` characters in short lines. It opens with emphasis, so that
 * the first inline parser to look at it is the one that matters.
 */
function paragraph(length: number): string {
  const head = '*Emphasised* at the start, then';
  let text = head;
  while (text.length < length) text += '\nmore words on one line of hard-wrapped prose';
  return text.slice(0, length);
}

describe('plain long blocks', () => {
  it('styles a paragraph up to the limit', () => {
    const doc = paragraph(MAX_STYLED_BLOCK_CHARS);
    expect(nodesIn(doc, 0, doc.length)).toContain('Emphasis');
  });

  it('leaves a longer paragraph unstyled and styles the rest of the document', () => {
    const long = paragraph(MAX_STYLED_BLOCK_CHARS + 1);
    const doc = `# A *title*\n\n${long}\n\nA **short** one.`;
    const longStart = doc.indexOf(long);
    const longNodes = nodesIn(doc, longStart, longStart + long.length);
    expect(longNodes).toEqual(['Paragraph']);
    expect(nodesIn(doc, 0, longStart)).toEqual(expect.arrayContaining(['ATXHeading1', 'Emphasis']));
    expect(nodesIn(doc, longStart + long.length, doc.length)).toEqual(
      expect.arrayContaining(['Paragraph', 'StrongEmphasis']),
    );
  });

  it('keeps the block structure of a long block', () => {
    const long = paragraph(3 * MAX_STYLED_BLOCK_CHARS);
    const doc = `${long}\n\n- item *one*\n- item two`;
    const names = nodesIn(doc, 0, doc.length);
    expect(names.filter((n) => n === 'Paragraph')).toHaveLength(3);
    expect(names).toEqual(expect.arrayContaining(['BulletList', 'ListItem', 'Emphasis']));
  });
});
