/**
 * The Markdown mode, with HTML inside it loaded only once the editor is idle.
 *
 * The editor opens with HTML tags and blocks as plain text (`html-until-loaded.ts`), so the
 * HTML, CSS and JavaScript grammars are not part of the code that runs before it accepts
 * input. Once the page is idle, `loadHtmlInMarkdown` fetches the real HTML language (a
 * separate chunk, precached by the service worker like the rest) and reconfigures the mode
 * with it: HTML is then parsed as HTML again, and an HTML block's opening tag is closed as
 * you type it, as lang-markdown does by default. Reconfiguring reparses the document in the
 * background; the text, the selection and the undo history are untouched.
 */
import { markdown, markdownLanguage } from '@codemirror/lang-markdown';
import type { LanguageSupport } from '@codemirror/language';
import { Compartment, type Extension, type StateEffect } from '@codemirror/state';
import { html as plainHtml } from './html-until-loaded';
import { plainLongBlocks } from './long-blocks';

const markdownMode = new Compartment();

/**
 * GitHub-flavoured Markdown (tables, task lists, strikethrough; Enter continues lists), very
 * long paragraphs left unstyled (long-blocks.ts), HTML inside it as `htmlTagLanguage`.
 */
function weftMarkdown(htmlTagLanguage: LanguageSupport): LanguageSupport {
  return markdown({
    base: markdownLanguage,
    extensions: plainLongBlocks,
    htmlTagLanguage,
    // It completes tags only for an editor with autocompletion, which Weft's has not.
    completeHTMLTags: false,
  });
}

/** The Markdown mode with HTML as plain text, until `loadHtmlInMarkdown`. */
export function markdownWithHtmlLater(): Extension {
  return markdownMode.of(weftMarkdown(plainHtml()));
}

/**
 * Loads the real HTML language; resolves to the effect that switches an editor's Markdown
 * mode (`markdownWithHtmlLater`) to it, as lang-markdown's default.
 */
export async function loadHtmlInMarkdown(): Promise<StateEffect<unknown>> {
  const { html } = await import('@codemirror/lang-html');
  return markdownMode.reconfigure(weftMarkdown(html({ matchClosingTags: false })));
}
