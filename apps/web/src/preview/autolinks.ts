/**
 * GitHub's autolinks for markdown-it: URLs with a scheme, `www.` addresses and email
 * addresses become links, and nothing else does. linkify-it's fuzzy matching would also turn
 * `notes.md` or `example.org` into links (`.md` and `.org` are top-level domains); those are
 * turned back into text here.
 */
import type { MarkdownIt, StateCore, Token } from 'markdown-it';

export function gfmAutolinks(md: MarkdownIt): void {
  md.linkify.set({ fuzzyLink: true, fuzzyEmail: true });
  md.core.ruler.after('linkify', 'weft_gfm_autolinks', (state: StateCore) => {
    for (const block of state.tokens) {
      if (block.type === 'inline' && block.children)
        block.children = unwrapBareDomains(block.children);
    }
  });
}

function unwrapBareDomains(tokens: Token[]): Token[] {
  const kept: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const text = tokens[i + 1];
    const close = tokens[i + 2];
    if (
      open?.type === 'link_open' &&
      open.markup === 'linkify' &&
      text?.type === 'text' &&
      close?.type === 'link_close' &&
      !isGfmAutolink(text.content)
    ) {
      kept.push(text);
      i += 2;
      continue;
    }
    if (open) kept.push(open);
  }
  return kept;
}

function isGfmAutolink(linkText: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:|www\.)/i.test(linkText) || /^[^\s@]+@[^\s@]+$/.test(linkText);
}
