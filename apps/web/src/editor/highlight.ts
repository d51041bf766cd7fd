/**
 * How Markdown looks while it is written: headings larger, emphasis emphasised, syntax marks
 * quiet. Colours are CSS variables, so one style serves the light and the dark theme.
 */
import { HighlightStyle } from '@codemirror/language';
import { tags } from '@lezer/highlight';

export const markdownHighlightStyle = HighlightStyle.define([
  { tag: tags.heading1, fontSize: '1.75em', fontWeight: '700', lineHeight: '1.3' },
  { tag: tags.heading2, fontSize: '1.4em', fontWeight: '700', lineHeight: '1.35' },
  { tag: tags.heading3, fontSize: '1.2em', fontWeight: '700' },
  { tag: [tags.heading4, tags.heading5, tags.heading6], fontWeight: '700' },
  { tag: tags.strong, fontWeight: '700' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  { tag: tags.strikethrough, textDecoration: 'line-through' },
  { tag: tags.link, color: 'var(--md-link)', textDecoration: 'underline' },
  { tag: tags.url, color: 'var(--md-url)' },
  {
    tag: tags.monospace,
    fontFamily: 'var(--mono)',
    fontSize: '0.88em',
    color: 'var(--md-code)',
  },
  { tag: tags.quote, color: 'var(--md-quote)', fontStyle: 'italic' },
  // `#`, `*`, `>`, `-`, brackets: visible but out of the way of the words.
  { tag: [tags.processingInstruction, tags.punctuation], color: 'var(--md-mark)' },
  { tag: tags.contentSeparator, color: 'var(--md-mark)' },
  { tag: [tags.labelName, tags.meta], color: 'var(--md-mark)' },
  { tag: tags.comment, color: 'var(--muted)' },
]);
