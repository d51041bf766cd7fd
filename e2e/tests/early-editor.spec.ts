import { expect, test, type Browser, type Page } from '@playwright/test';
import { uniqueDocName } from '../fixtures/users';

/**
 * On a document's address the editor shows before React renders the page around it, in a
 * stand-in of the page (apps/web/src/document/early-document.ts), and the page then takes that
 * same editor over. These tests see the stand-in the moment it goes into the document (a
 * MutationObserver installed before any page script), so they do not depend on which frames
 * the browser happens to paint.
 */

interface StandInSighting {
  readonly text: string;
  /** The editor's content element's top edge when the stand-in went in (px from the top). */
  readonly top: number | null;
  /** Whether React's header (the save status) was already on the page then. */
  readonly pageRendered: boolean;
}

declare global {
  interface Window {
    __standIn?: StandInSighting;
    __standInContent?: Element | null;
  }
}

function watchForStandIn(): void {
  new MutationObserver((records, observer) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (!(node instanceof HTMLElement) || node.dataset.testid !== 'page-stand-in') continue;
        const content = node.querySelector<HTMLElement>('.cm-content');
        // Someone who clicks into the text at once: the editor has the focus before React runs.
        if (sessionStorage.getItem('focus-stand-in') === '1') content?.focus();
        window.__standInContent = content;
        window.__standIn = {
          text: content?.textContent ?? '',
          top: content ? content.getBoundingClientRect().top : null,
          pageRendered: document.querySelector('[data-testid="sync-status"]') !== null,
        };
        observer.disconnect();
        return;
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

const SCREENS = [
  { name: 'desktop', options: { viewport: { width: 1280, height: 800 } } },
  {
    name: 'phone',
    options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  },
] as const;

async function standInSighting(page: Page): Promise<StandInSighting> {
  const handle = await page.waitForFunction(() => window.__standIn);
  return (await handle.jsonValue()) as StandInSighting;
}

/** After the page rendered: the stand-in is gone and its editor is the page's, in place. */
async function expectTakenOver(
  page: Page,
  sighting: StandInSighting,
  inPlace: boolean,
): Promise<void> {
  await expect(page.getByTestId('sync-status')).toBeVisible();
  await expect(page.getByTestId('page-stand-in')).toHaveCount(0);
  const now = await page.evaluate(() => {
    const content = document.querySelector('.cm-content');
    return {
      same: content !== null && content === window.__standInContent,
      top: content?.getBoundingClientRect().top ?? null,
      inPage: content?.closest('[data-testid="editor"]') !== null,
    };
  });
  expect(now.same, 'the page took over the editor shown early, not a new one').toBe(true);
  expect(now.inPage).toBe(true);
  expect(sighting.top).not.toBeNull();
  // The text stays where it was when the page renders around it (no layout shift).
  if (inPlace) expect(Math.abs((now.top ?? 0) - (sighting.top ?? 0))).toBeLessThan(1);
}

async function newUser(browser: Browser, screen: (typeof SCREENS)[number]) {
  const context = await browser.newContext(screen.options);
  await context.addInitScript(() => {
    if (window.localStorage.getItem('weft:user') === null) {
      window.localStorage.setItem('weft:user', JSON.stringify({ name: 'Ada', color: '#6e56cf' }));
    }
  });
  await context.addInitScript(watchForStandIn);
  return { context, page: await context.newPage() };
}

for (const screen of SCREENS) {
  test(`the editor shows before the page renders around it, which takes it over in place (${screen.name})`, async ({
    browser,
  }) => {
    const { context, page } = await newUser(browser, screen);
    const docName = uniqueDocName('early-editor');

    // A first visit: nothing stored, so the editor shows at once, empty, before the page.
    // On a phone the header's controls wrap onto a second row, which the stand-in knows only
    // once a page has been laid out at this width: the very first open there moves the text.
    await page.goto(`/d/${docName}`);
    const first = await standInSighting(page);
    expect(first.pageRendered).toBe(false);
    await expectTakenOver(page, first, screen.name === 'desktop');

    await page.locator('.cm-content').click();
    await page.keyboard.type('Shown before the page.');
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-local', 'stored');

    // Back again: the stored copy is in the editor before React has rendered anything, and
    // this time the editor gets the focus while it is still in the stand-in.
    await page.evaluate(() => sessionStorage.setItem('focus-stand-in', '1'));
    await page.reload();
    const again = await standInSighting(page);
    expect(again.pageRendered).toBe(false);
    expect(again.text).toContain('Shown before the page.');
    await expectTakenOver(page, again, true);
    const focusKept = await page.evaluate(() => document.activeElement === window.__standInContent);
    expect(focusKept, 'the page moving the editor in kept its focus').toBe(true);

    // The editor the page took over is the live one, still focused: typing without clicking
    // goes into it and reaches the relay.
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' And after.');
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');
    await page.reload();
    await expect(page.locator('.cm-content')).toContainText('Shown before the page. And after.');
    await context.close();
  });
}
