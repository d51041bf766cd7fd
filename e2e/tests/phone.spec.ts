import { expect, test, type Page } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/** An iPhone 12–14 sized screen in Chromium: 390×844, touch, mobile viewport. */
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

/** Whether the page can be scrolled sideways (it never should be). */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

/** Expects every visible button, link and field in `scope` to lie wholly inside the screen. */
async function expectAllOnScreen(page: Page, scope: string): Promise<void> {
  const outside = await page.locator(scope).evaluate((root) =>
    [...root.querySelectorAll<HTMLElement>('a[href], button, input')]
      .filter((control) => control.offsetParent !== null)
      .filter((control) => {
        const box = control.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth || box.width === 0;
      })
      .map((control) => control.outerHTML.slice(0, 120)),
  );
  expect(outside).toEqual([]);
}

test('on a phone every control of the editor is on screen and the page never scrolls sideways', async ({
  browser,
}) => {
  const ada = await EditorUser.create(browser, { name: 'Ada Lovelace', color: '#6e56cf' });
  // The context carries the phone's screen (test.use applies to the fixture's contexts only).
  await ada.close();
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  await context.addInitScript(() => {
    window.localStorage.setItem(
      'weft:user',
      JSON.stringify({ name: 'Ada Lovelace', color: '#6e56cf' }),
    );
  });
  const page = await context.newPage();
  const docName = uniqueDocName('phone');
  await page.goto(`/d/${docName}`);
  await expect(page.locator('.cm-content')).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'saved');

  await page.locator('.cm-content').tap();
  await page.keyboard.insertText(
    'A long first line that goes on and on, far wider than any phone screen could show at once: ' +
      'https://example.com/a/very/long/address/that/must/wrap/and/not/push/the/page/sideways\n\n' +
      '| a | table | with | many | columns | that | is | wide |\n|---|---|---|---|---|---|---|---|\n' +
      '| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n\n- [ ] a task',
  );
  await expect.poll(() => scrollsSideways(page)).toBe(false);
  await expectAllOnScreen(page, '.editor-top');

  // Formatting that does not fit is in the "More formatting" menu, and works from there.
  const more = page.getByTestId('more-formatting');
  await expect(more).toBeVisible();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\n\nquote me');
  await page.keyboard.press('Shift+Home');
  await more.tap();
  const menu = page.getByRole('menu', { name: 'More formatting' });
  await expect(menu).toBeVisible();
  await expectAllOnScreen(page, '.editor-top');
  const shownFormats = await page
    .getByRole('toolbar', { name: 'Formatting' })
    .getByRole('button')
    .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label')));
  const menuFormats = await menu
    .getByRole('menuitem')
    .evaluateAll((items) => items.map((item) => item.textContent.replace(/ \(.*\)$/, '')));
  // Every format is reachable: on the toolbar or in the menu, once.
  for (const format of ['Heading', 'Bold', 'Italic', 'Strikethrough', 'Code', 'Link', 'Quote']) {
    expect(
      [...shownFormats, ...menuFormats].filter((name) => name === format),
      format,
    ).toHaveLength(1);
  }
  await menu.getByRole('menuitem', { name: /^Quote/ }).tap();
  await expect(page.locator('.cm-content')).toContainText('> quote me');

  // The preview replaces the text on a narrow screen, and does not scroll sideways either.
  await page.getByTestId('preview-toggle').tap();
  await expect(page.getByTestId('preview').getByRole('table')).toBeVisible();
  await expect(page.locator('.cm-content')).toBeHidden();
  await expect.poll(() => scrollsSideways(page)).toBe(false);
  await expectAllOnScreen(page, '.editor-top');
  await page.getByTestId('preview').getByRole('checkbox', { name: 'a task' }).tap();
  await page.getByTestId('preview-toggle').tap();
  await expect(page.locator('.cm-content')).toContainText('- [x] a task');

  // The header's menus open within the screen.
  await page.getByRole('button', { name: /^You \(Ada Lovelace\)/ }).tap();
  await expect(page.getByRole('textbox', { name: 'Your name' })).toBeInViewport({ ratio: 1 });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /Download this document|Export/ }).tap();
  await expect(page.getByRole('menuitem', { name: /Markdown/ })).toBeInViewport({ ratio: 1 });
  await expect.poll(() => scrollsSideways(page)).toBe(false);
  await page.screenshot({ path: test.info().outputPath('phone-editor.png') });

  // The document list, too.
  await page.goto('/');
  await expect(page.getByRole('heading').first()).toBeVisible();
  await expect.poll(() => scrollsSideways(page)).toBe(false);
  await expectAllOnScreen(page, 'body');
  await context.close();
});
