import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/** WCAG 2.1 levels A and AA, as axe-core tags them. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe-core on the page as it is now and expects no WCAG 2.1 A/AA violation. */
async function expectNoViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  const found = results.violations.map((violation) => ({
    rule: violation.id,
    nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
  }));
  expect(found, `axe-core violations on ${what}`).toEqual([]);
}

const RICH_DOCUMENT = [
  '# Plans',
  '',
  'Some **bold**, _italic_, ~~struck~~ and `code`, a [link](https://example.com/) and',
  'https://example.org autolinked.',
  '',
  '> A quotation.',
  '',
  '- [ ] a task',
  '- [x] a done task',
  '',
  '| Name | Count |',
  '| :--- | ----: |',
  '| Ada  |     3 |',
  '',
  '```',
  'code block',
  '```',
].join('\n');

test('the document list has no WCAG 2.1 A/AA violations, light and dark', async ({ browser }) => {
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(uniqueDocName('a11y-list'));
  await ada.title.fill('A document in the list');
  await ada.page.goto('/');
  await expect(ada.page.getByText('A document in the list')).toBeVisible();
  await expectNoViolations(ada.page, 'the document list (light)');
  await ada.page.emulateMedia({ colorScheme: 'dark' });
  await expect(ada.page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectNoViolations(ada.page, 'the document list (dark)');
  await ada.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the editor with another user's cursor, the preview, menus and sharing have no WCAG 2.1 A/AA violations (${scheme})`, async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const docName = uniqueDocName(`a11y-editor-${scheme}`);
    const ada = await EditorUser.create(browser, { name: 'Ada Lovelace', color: '#6e56cf' });
    const grace = await EditorUser.create(browser, { name: 'Grace Hopper', color: '#30a46c' });
    await ada.page.emulateMedia({ colorScheme: scheme });
    await ada.page.setViewportSize({ width: 1400, height: 900 });
    await ada.openDocument(docName);
    await grace.openDocument(docName);
    await grace.insertAtEnd(RICH_DOCUMENT);
    await expect(ada.cursorLabelOf(grace)).toBeVisible();
    await expect(ada.page.locator('html')).toHaveAttribute('data-theme', scheme);
    await expectNoViolations(ada.page, `the editor (${scheme})`);

    await ada.showPreview();
    await expect(ada.preview.getByRole('table')).toBeVisible();
    await expectNoViolations(ada.page, `the preview beside the editor (${scheme})`);

    // The presence menu, and following someone (the chip at the bottom).
    await ada.follow(grace);
    await ada.presence.getByRole('button', { name: /^Grace Hopper/ }).click();
    await expect(ada.presence.getByRole('menu')).toBeVisible();
    await expectNoViolations(ada.page, `the presence menu while following (${scheme})`);
    await ada.page.keyboard.press('Escape');

    // Sharing.
    await ada.page.getByTestId('share').click();
    await expect(ada.page.getByTestId('share')).toContainText(/Link copied|Copy failed/);
    await expectNoViolations(ada.page, `sharing (${scheme})`);
    await ada.close();
    await grace.close();
  });
}

test('every control is reachable with the keyboard, and Escape then Tab leaves the editor', async ({
  browser,
}) => {
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(uniqueDocName('a11y-keyboard'));
  await expect(ada.page.getByText('leaves the editor')).toBeVisible();

  // Tab inside the text indents; Escape then Tab moves on to what follows the editor.
  await ada.editor.click();
  await ada.page.keyboard.type('one');
  await ada.page.keyboard.press('Tab');
  await expect(ada.editor).toBeFocused();
  await ada.page.keyboard.press('Escape');
  await ada.page.keyboard.press('Tab');
  await expect(ada.editor).not.toBeFocused();
  await ada.page.keyboard.press('Shift+Tab');
  await expect(ada.editor).toBeFocused();
  await ada.page.keyboard.press('Escape');
  await ada.page.keyboard.press('Shift+Tab');
  await expect(ada.editor).not.toBeFocused();

  // From the top of the page, Tab visits every enabled control of the header and toolbar.
  await ada.page.keyboard.press('ControlOrMeta+Home');
  const controls = ada.page.locator(
    '.editor-top :is(a[href], button:not([disabled]), input:not([disabled]))',
  );
  const expected = await controls.evaluateAll((elements) =>
    elements.map((element) => element.outerHTML),
  );
  await ada.page.locator('body').focus();
  const reached: string[] = [];
  for (let i = 0; i < expected.length + 5 && reached.length < expected.length; i++) {
    await ada.page.keyboard.press('Tab');
    const html = await ada.page.evaluate(() => document.activeElement?.outerHTML ?? '');
    if (expected.includes(html) && !reached.includes(html)) reached.push(html);
  }
  expect(reached.sort()).toEqual([...expected].sort());

  // The save status is announced through a status region beside the badge.
  await expect(ada.page.locator('.sync-wrap').getByRole('status')).toHaveText('All changes saved');
  await ada.close();
});
