/**
 * What `@codemirror/lang-markdown` gets in the build when it imports `@codemirror/lang-html`
 * (the Vite config points that one import here): HTML inside Markdown as plain text.
 *
 * lang-markdown creates an HTML language at its top level, for tags and HTML blocks inside
 * Markdown, and with it the HTML, CSS and JavaScript grammars that HTML embeds: about a
 * quarter of the editor's code, and their grammar tables are built while the chunk runs,
 * before the editor can accept input. Typing Markdown needs none of it, so the editor starts
 * with this stand-in and switches to the real HTML language once it is idle
 * (`html-in-markdown.ts`).
 */
import { Language, LanguageSupport, defineLanguageFacet } from '@codemirror/language';
import {
  NodeType,
  Parser,
  Tree,
  type Input,
  type PartialParse,
  type TreeFragment,
} from '@lezer/common';

/** A parse that is done at once: the whole range as one untyped node. */
class PlainTextParse implements PartialParse {
  parsedPos: number;
  stoppedAt: number | null = null;

  constructor(
    private readonly from: number,
    private to: number,
  ) {
    this.parsedPos = from;
  }

  advance(): Tree {
    this.parsedPos = this.to;
    return new Tree(NodeType.none, [], [], this.to - this.from);
  }

  stopAt(pos: number): void {
    this.to = Math.min(this.to, pos);
    this.stoppedAt = pos;
  }
}

/** Parses anything as one untyped node: no structure, so no highlighting. */
class PlainTextParser extends Parser {
  createParse(
    input: Input,
    _fragments: readonly TreeFragment[],
    ranges: readonly { from: number; to: number }[],
  ): PartialParse {
    return new PlainTextParse(ranges[0]?.from ?? 0, ranges[ranges.length - 1]?.to ?? input.length);
  }
}

const plainHtml = new LanguageSupport(
  new Language(defineLanguageFacet(), new PlainTextParser(), [], 'html'),
);

/** lang-markdown's `html(config)`: the stand-in whatever the config. */
export function html(): LanguageSupport {
  return plainHtml;
}

/** lang-markdown's HTML tag completion: none (Weft's editor has no completion anyway). */
export function htmlCompletionSource(): null {
  return null;
}
