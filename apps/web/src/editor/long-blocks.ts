/**
 * Keeps the editor responsive in documents with very long paragraphs.
 *
 * Markdown's inline syntax (emphasis, links, code spans) is parsed a whole paragraph at a
 * time, and the parser cannot reuse the last block of a document after an edit anywhere
 * else. With a 300 KB paragraph at the end (a pasted log, hard-wrapped prose without blank
 * lines), every keystroke re-ran about 100 ms of inline parsing in every open editor, and
 * while that parse was unfinished each new keystroke started it again: with a third user
 * pasting 50 KB blocks, remote keystrokes took 0.4 s to appear (p95 2.9 s). The block
 * structure of the same document parses in about 3 ms.
 *
 * So a block whose text is longer than `MAX_STYLED_BLOCK_CHARS` is shown as plain text: its
 * inline parse ends where it starts. Editors commonly do this (VS Code skips tokenising lines
 * over 20,000 characters). Tables are parsed cell by cell, so there the limit applies to each
 * cell. Besides the styling, only small conveniences of the Markdown mode read inline syntax
 * (turning a pasted URL into a link, closing an HTML tag); inside such a block they act as if
 * the text had none.
 */
import type { InlineContext, MarkdownConfig } from '@lezer/markdown';

/** Longest block (in characters) whose inline Markdown is styled; a few ms to parse. */
export const MAX_STYLED_BLOCK_CHARS = 10_000;

export const plainLongBlocks: MarkdownConfig = {
  parseInline: [
    {
      name: 'PlainLongBlock',
      // First, so that the other inline parsers never see the block.
      before: 'Escape',
      parse(cx: InlineContext, _next: number, pos: number): number {
        return pos === cx.offset && cx.text.length > MAX_STYLED_BLOCK_CHARS ? cx.end : -1;
      },
    },
  ],
};
