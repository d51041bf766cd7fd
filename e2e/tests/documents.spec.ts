import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

test('a title rename shows up in the other user’s header and in the document list', async ({
  browser,
}) => {
  const docName = uniqueDocName('title');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);

  await ada.title.fill('Launch plan');
  await ada.title.press('Enter');
  await expect(grace.title).toHaveValue('Launch plan');
  await expect(grace.page).toHaveTitle('Launch plan — Weft');
  await ada.expectStatus('saved');

  await grace.page.getByRole('link', { name: 'All documents' }).click();
  const entry = grace.page.locator(`[data-doc="${docName}"]`);
  await expect(entry).toContainText('Launch plan');
  await expect(entry).toContainText(docName);
  await ada.close();
  await grace.close();
});

test('the document list: newest first, filter box, and new documents with readable names', async ({
  browser,
}) => {
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const tag = uniqueDocName('list');
  for (const name of [`${tag}-older`, `${tag}-newer`]) {
    await ada.openDocument(name);
    await ada.typeAtEnd(`Text of ${name}`);
    await ada.expectStatus('saved');
  }
  await ada.page.getByRole('link', { name: 'All documents' }).click();
  await ada.page.getByTestId('doc-filter').fill(tag);
  const links = ada.page.getByTestId('doc-list').getByRole('link');
  await expect(links).toHaveCount(2);
  await expect(links.nth(0)).toContainText(`${tag}-newer`);
  await expect(links.nth(1)).toContainText(`${tag}-older`);
  await ada.page.getByTestId('doc-filter').fill(`${tag}-older`);
  await expect(links).toHaveCount(1);
  await ada.page.getByTestId('doc-filter').fill(`${tag}-nothing`);
  await expect(ada.page.getByText(/No documents match/)).toBeVisible();

  await ada.page.getByRole('button', { name: 'New document' }).click();
  await expect(ada.page).toHaveURL(/\/d\/[a-z]+-[a-z]+-\d{4}$/);
  await expect(ada.editor).toBeVisible();
  await ada.close();
});

test('export downloads the text as Markdown and as plain text', async ({ browser }) => {
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(uniqueDocName('export'));
  await ada.title.fill('Export me');
  await ada.typeAtEnd('# Heading\n**bold** and [a link](https://example.com)');
  await ada.expectStatus('saved');

  const download = async (item: RegExp) => {
    await ada.page.getByRole('button', { name: 'Export' }).click();
    const [file] = await Promise.all([
      ada.page.waitForEvent('download'),
      ada.page.getByRole('menuitem', { name: item }).click(),
    ]);
    return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
  };
  const md = await download(/Markdown/);
  expect(md).toEqual({
    name: 'Export-me.md',
    text: '# Heading\n**bold** and [a link](https://example.com)',
  });
  const txt = await download(/Plain text/);
  expect(txt).toEqual({
    name: 'Export-me.txt',
    text: 'Heading\nbold and a link (https://example.com)',
  });
  await ada.close();
});

test('share copies the document’s address; the theme follows the system and toggles', async ({
  browser,
}) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const docName = uniqueDocName('share');
  await page.goto(`/d/${docName}`);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await page.getByTestId('share').click();
  await expect(page.getByTestId('share')).toContainText('Link copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(new RegExp(`/d/${docName}$`));

  // system (dark) → light → dark → system; the choice survives a reload.
  const toggle = page.getByTestId('theme-toggle');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await toggle.click();
  await expect(toggle).toHaveAttribute('data-theme-preference', 'system');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await context.close();
});

test('an invalid document name in the URL gets a clear message, not a crash', async ({ page }) => {
  await page.goto('/d/not%20valid');
  await expect(page.getByRole('heading', { name: 'Not a document name' })).toBeVisible();
});
