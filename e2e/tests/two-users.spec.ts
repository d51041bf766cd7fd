import { expect, test } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

test('two users see each other’s text and cursors in the same document', async ({ browser }) => {
  const docName = uniqueDocName('two-users');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });

  await ada.openDocument(docName);
  await grace.openDocument(docName);

  await ada.typeAtEnd('Hello from Ada.');
  await grace.expectText('Hello from Ada.');

  await grace.typeAtEnd(' And from Grace!');
  await ada.expectText('Hello from Ada. And from Grace!');
  await grace.expectText('Hello from Ada. And from Grace!');

  await expect(ada.cursorLabelOf(grace)).toBeVisible();
  await ada.typeAtStart('> ');
  await expect(grace.cursorLabelOf(ada)).toBeVisible();
  await grace.expectText('> Hello from Ada. And from Grace!');

  await expect(ada.status).toHaveAttribute('data-state', 'saved');
  await expect(grace.status).toHaveAttribute('data-state', 'saved');

  await ada.close();
  await grace.close();
});

test('the document list shows a document after it was edited', async ({ browser }) => {
  const docName = uniqueDocName('listed');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(docName);
  await ada.typeAtEnd('Listed text');
  await expect(ada.status).toHaveAttribute('data-state', 'saved');
  await ada.page.getByRole('link', { name: 'All documents' }).click();
  await ada.page.getByRole('link', { name: new RegExp(docName) }).click();
  await ada.expectText('Listed text');
  await ada.close();
});

test('an invalid document name in the URL gets a clear message, not a crash', async ({ page }) => {
  await page.goto('/d/not%20valid');
  await expect(page.getByRole('heading', { name: 'Not a document name' })).toBeVisible();
});
