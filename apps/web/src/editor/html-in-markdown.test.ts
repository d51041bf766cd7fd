import { ensureSyntaxTree } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { loadHtmlInMarkdown, markdownWithHtmlLater } from './html-in-markdown';

const text = 'Some <b>bold</b> words.\n\n<div class="note">\n  <p>A note</p>\n</div>\n\n# After\n';

/** The innermost syntax node at `text.indexOf(at)`, nested languages included. */
function innermost(state: EditorState, at: string): string {
  const tree = ensureSyntaxTree(state, state.doc.length, 5000);
  if (tree === null) throw new Error('the document did not parse in time');
  return tree.resolveInner(text.indexOf(at), 1).name;
}

describe('HTML inside Markdown, loaded later', () => {
  it('starts with the Markdown structure and HTML as plain text', () => {
    const state = EditorState.create({ doc: text, extensions: markdownWithHtmlLater() });
    // Inside tags and HTML blocks: the stand-in's one unnamed node, no HTML structure.
    expect(innermost(state, 'b>bold')).toBe('');
    expect(innermost(state, 'class=')).toBe('');
    expect(innermost(state, 'After')).toBe('ATXHeading1');
  });

  it('parses the tags with the HTML grammar once loaded, keeping text and selection', async () => {
    const before = EditorState.create({
      doc: text,
      selection: { anchor: 5, head: 12 },
      extensions: markdownWithHtmlLater(),
    });
    const after = before.update({ effects: await loadHtmlInMarkdown() }).state;
    expect(innermost(after, 'b>bold')).toBe('TagName');
    expect(innermost(after, 'class=')).toBe('AttributeName');
    expect(innermost(after, 'After')).toBe('ATXHeading1');
    expect(after.doc.toString()).toBe(text);
    expect(after.selection.main.from).toBe(5);
    expect(after.selection.main.to).toBe(12);
  });
});
