/**
 * A markdown-it plugin that writes each block's first source line (zero-based) on the element
 * that renders it, as `data-line`, so the preview can scroll in step with the editor.
 */
import type { MarkdownIt, StateCore } from 'markdown-it';

export function sourceLines(md: MarkdownIt): void {
  md.core.ruler.push('weft_source_lines', (state: StateCore) => {
    for (const token of state.tokens) {
      // Opening tags and self-contained blocks (code, rules); raw HTML blocks are left alone.
      const carriesAttributes =
        token.nesting === 1 || ['fence', 'code_block', 'hr'].includes(token.type);
      if (token.block && token.map && carriesAttributes) {
        token.attrSet('data-line', String(token.map[0]));
      }
    }
  });
}

/**
 * Table cells are aligned with classes instead of markdown-it's `style` attributes: the
 * sanitiser removes every `style`, so a document cannot restyle the page around it.
 */
export function alignmentClasses(md: MarkdownIt): void {
  md.core.ruler.push('weft_alignment_classes', (state: StateCore) => {
    for (const token of state.tokens) {
      if (token.type !== 'th_open' && token.type !== 'td_open') continue;
      const align = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''));
      if (align === null) continue;
      const attrs = token.attrs?.filter(([name]) => name !== 'style') ?? [];
      token.attrs = attrs;
      token.attrJoin('class', `align-${align[1] ?? 'left'}`);
    }
  });
}
