/**
 * The two pages under test and what the benchmark reads from them. Both run CodeMirror; the
 * editor's state is read through the view CodeMirror keeps on its content element (what
 * `EditorView.findFromDOM` reads), so the benchmark can tell when a page holds the whole text
 * without either page exposing anything for it.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { identityScript } from '../browser/page-probes';

export const PAGE_KINDS = ['weft', 'bare'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export interface User {
  readonly name: string;
  readonly color: string;
}

/** The address of `doc` for `user` on a page of `kind`. */
export function pagePath(kind: PageKind, doc: string, user: User): string {
  if (kind === 'weft') return `/d/${doc}`;
  const query = new URLSearchParams({ doc, name: user.name, color: user.color });
  return `/bare/index.html?${query.toString()}`;
}

/**
 * In a page: `{ length, editable }` of its CodeMirror editor, or null before there is one.
 * JavaScript source (the bench compiles without the DOM library).
 */
export const EDITOR_STATE = `(() => {
  const content = document.querySelector('.cm-content');
  const view = content && content.cmTile && content.cmTile.root && content.cmTile.root.view;
  if (!view) return null;
  return { length: view.state.doc.length, editable: content.getAttribute('contenteditable') === 'true' };
})()`;

/**
 * Before any page script: from the first frame on, checks once per frame whether the editor
 * holds at least `length` characters and accepts input, and records when in
 * `window.__openedAt` (ms since navigation started).
 */
export const openProbe = (length: number): string => `(() => {
  const check = () => {
    const state = ${EDITOR_STATE};
    if (state && state.editable && state.length >= ${length}) {
      window.__openedAt = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})()`;

/** Opens `doc` as `user` in a fresh context; resolves once the editor holds `length` chars. */
export async function openEditor(
  browser: Browser,
  baseUrl: string,
  kind: PageKind,
  doc: string,
  user: User,
  length: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl });
  await context.addInitScript(identityScript(user.name, user.color));
  const page = await context.newPage();
  await page.goto(pagePath(kind, doc, user));
  await waitForText(page, length);
  return { context, page };
}

/** Waits until the page's editor holds at least `length` characters and accepts input. */
export async function waitForText(page: Page, length: number, timeout = 60_000): Promise<void> {
  try {
    await page.waitForFunction(
      `(() => { const s = ${EDITOR_STATE}; return s !== null && s.editable && s.length >= ${length}; })()`,
      undefined,
      { timeout, polling: 100 },
    );
  } catch (error) {
    // Say what the page shows instead: a benchmark that hangs on a page must say why.
    const state = await page.evaluate(EDITOR_STATE).catch(() => 'unreadable');
    const shown = await page
      .evaluate<string>('document.body.innerText.slice(0, 200)')
      .catch(() => 'unreadable');
    throw new Error(
      `${page.url()}: editor not holding ${length} characters within ${timeout} ms; editor ${JSON.stringify(state)}; page says ${JSON.stringify(shown)}`,
      { cause: error },
    );
  }
}
