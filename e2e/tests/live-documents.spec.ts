import { expect, test } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

test('create “Meeting notes” by title and find it in the list by its title', async ({
  browser,
}) => {
  const tag = uniqueDocName('mn');
  const title = `Meeting notes ${tag}`;
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.page.goto('/');
  await ada.page.getByRole('textbox', { name: 'New document title' }).fill(title);
  await ada.page.getByRole('button', { name: 'New document' }).click();
  // The address is a slug of the title plus a random suffix; the title is the document's.
  await expect(ada.page).toHaveURL(new RegExp(`/d/meeting-notes-${tag}-[a-z2-9]{5}$`));
  await expect(ada.title).toHaveValue(title);
  await ada.expectStatus('saved');

  await ada.page.getByRole('link', { name: 'All documents' }).click();
  await ada.page.getByTestId('doc-filter').fill(title);
  const links = ada.page.getByTestId('doc-list').getByRole('link');
  await expect(links).toHaveCount(1);
  await expect(links.first().locator('.doc-title')).toHaveText(title);
  await ada.close();
});

test('a second tab sees a new document appear, and who is in it, without reloading', async ({
  browser,
}) => {
  const tag = uniqueDocName('live');
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await grace.page.goto('/');
  await grace.page.getByTestId('doc-filter').fill(tag);
  await expect(grace.page.getByText(/No documents/)).toBeVisible();

  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.page.goto('/');
  await ada.page.getByRole('textbox', { name: 'New document title' }).fill(`Plan ${tag}`);
  await ada.page.getByRole('button', { name: 'New document' }).click();
  await ada.expectStatus('saved');

  const entry = grace.page.getByTestId('doc-list').getByRole('link');
  await expect(entry).toHaveCount(1);
  await expect(entry.locator('.doc-title')).toHaveText(`Plan ${tag}`);
  await expect(entry.getByTestId('doc-people')).toHaveText('1 person here now');
  await ada.close();
  // Ada left: the count goes with her.
  await expect(entry.getByTestId('doc-people')).toHaveCount(0);
  await grace.close();
});

test('the list counts who is in a document: up when a second user opens it, down when they leave', async ({
  browser,
}) => {
  const docName = uniqueDocName('people');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(docName);
  await ada.typeAtEnd('Who is here?');
  await ada.expectStatus('saved');

  const watcher = await EditorUser.create(browser, { name: 'Watcher', color: '#e5484d' });
  await watcher.page.goto('/');
  await watcher.page.getByTestId('doc-filter').fill(docName);
  const people = watcher.page
    .getByTestId('doc-list')
    .locator(`[data-doc="${docName}"]`)
    .getByTestId('doc-people');
  await expect(people).toHaveText('1 person here now');

  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await grace.openDocument(docName);
  await expect(people).toHaveText('2 people here now');
  await grace.close();
  await expect(people).toHaveText('1 person here now');
  await ada.close();
  await expect(people).toHaveCount(0);
  await watcher.close();
});
