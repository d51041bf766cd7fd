import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type Request } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core on `page`, or only on what `within` selects. */
async function expectNoViolations(page: Page, what: string, within?: string): Promise<void> {
  const builder = new AxeBuilder({ page }).withTags(WCAG_21_AA);
  const results = await (within === undefined ? builder : builder.include(within)).analyze();
  const found = results.violations.map((violation) => ({
    rule: violation.id,
    nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
  }));
  expect(found, `axe-core violations on ${what}`).toEqual([]);
}

test('trash a document while it is open in another tab, find it in the Trash, restore it', async ({
  browser,
}) => {
  const docName = uniqueDocName('trash');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(docName);
  await ada.typeAtEnd('Kept through the trash');
  await ada.expectStatus('saved');

  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await grace.page.goto('/');
  await grace.page.getByTestId('doc-filter').fill(docName);
  const entry = grace.page.getByTestId('doc-list').getByRole('listitem');
  await expect(entry).toHaveCount(1);
  await entry.getByRole('button', { name: `Move to trash: ${docName}` }).click();

  // Ada's open editor is closed by the relay (4404) and says so, with a way back.
  const notice = ada.page.getByTestId('trash-notice');
  await expect(notice).toBeVisible();
  await expect(notice.getByRole('heading')).toHaveText('This document was moved to the trash');
  // The notice only: the header's offline status has a contrast problem of its own (its
  // accessibility test covers the editor when connected).
  await expectNoViolations(ada.page, 'the trash notice', '[data-testid="trash-notice"]');

  // Gone from the list, there in the Trash.
  await expect(grace.page.getByText(/No documents/)).toBeVisible();
  await grace.page.getByTestId('trash-toggle').click();
  await expect(grace.page.getByRole('heading', { name: 'Trash' })).toBeVisible();
  const trashed = grace.page.getByTestId('trash-list').locator(`[data-doc="${docName}"]`);
  await expect(trashed).toBeVisible();
  await expect(trashed.getByRole('button', { name: `Restore: ${docName}` })).toBeVisible();
  await expectNoViolations(grace.page, 'the Trash view');

  // Restored from Ada's editor: the content is back for everyone.
  await notice.getByRole('button', { name: 'Restore from this device' }).click();
  await expect(notice).toHaveCount(0);
  await ada.expectStatus('saved');
  await ada.expectText('Kept through the trash');

  await grace.page.getByTestId('trash-toggle').click();
  await expect(entry).toHaveCount(1);
  await grace.openDocument(docName);
  await grace.expectText('Kept through the trash');
  await ada.close();
  await grace.close();
});

test('from the editor: move to trash, then delete it for good from the Trash view', async ({
  browser,
}) => {
  const docName = uniqueDocName('trash-ed');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(docName);
  await ada.typeAtEnd('Soon gone');
  await ada.expectStatus('saved');
  await ada.page.getByTestId('move-to-trash').click();
  await expect(ada.page.getByTestId('trash-notice')).toBeVisible();

  await ada.page.getByRole('link', { name: 'Back to documents' }).click();
  await ada.page.getByTestId('trash-toggle').click();
  const trashed = ada.page.getByTestId('trash-list').locator(`[data-doc="${docName}"]`);
  await expect(trashed).toBeVisible();
  ada.page.once('dialog', (dialog) => void dialog.accept());
  await trashed.getByRole('button', { name: `Delete for good: ${docName}` }).click();
  await expect(trashed).toHaveCount(0);
  // The relay no longer has it at all: not in the trash, not restorable.
  const restore = await ada.page.request.post(`/api/docs/${docName}/restore`);
  expect(restore.status()).toBe(404);
  await ada.close();
});

test('deleted for good elsewhere: the device that kept a copy gets it back only if it chooses', async ({
  browser,
}) => {
  const docName = uniqueDocName('trash-purge');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(docName);
  await ada.typeAtEnd('Kept on this device');
  await ada.expectStatus('saved');

  // Grace moves it to the trash and deletes it for good, from her own browser.
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await grace.page.goto('/');
  await grace.page.getByTestId('doc-filter').fill(docName);
  await grace.page.getByRole('button', { name: `Move to trash: ${docName}` }).click();
  await expect(ada.page.getByTestId('trash-notice')).toBeVisible();
  await grace.page.getByTestId('trash-toggle').click();
  const trashed = grace.page.getByTestId('trash-list').locator(`[data-doc="${docName}"]`);
  grace.page.once('dialog', (dialog) => void dialog.accept());
  await trashed.getByRole('button', { name: `Delete for good: ${docName}` }).click();
  await expect(trashed).toHaveCount(0);

  // Ada opens its address again: her offline copy is there, but not sent.
  await ada.page.reload();
  const notice = ada.page.getByTestId('trash-notice');
  await expect(notice.getByRole('heading')).toHaveText('This document was deleted for good');
  await ada.expectText('Kept on this device');
  // The relay still refuses the name (nothing recreated it): another browser sees it gone,
  // with nothing to restore from.
  await grace.page.goto(`/d/${docName}`);
  const graceNotice = grace.page.getByTestId('trash-notice');
  await expect(graceNotice.getByRole('heading')).toHaveText('This document was deleted for good');
  await expect(graceNotice.getByRole('button', { name: 'Restore from this device' })).toHaveCount(
    0,
  );
  expect(await grace.documentText()).toBe('');
  const listed = (await (await grace.page.request.get('/api/docs')).json()) as {
    docs: { name: string }[];
  };
  expect(listed.docs.map((doc) => doc.name)).not.toContain(docName);

  // Ada chooses to restore it from her device: the document starts again with her copy.
  await notice.getByRole('button', { name: 'Restore from this device' }).click();
  await expect(notice).toHaveCount(0);
  await ada.expectStatus('saved');
  await grace.page.reload();
  await expect(graceNotice).toHaveCount(0);
  await grace.expectText('Kept on this device');
  await ada.close();
  await grace.close();
});

test('an open Trash view follows the other tabs: trashed there it appears, restored it leaves', async ({
  browser,
}) => {
  const docName = uniqueDocName('trash-live');
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  // Trash requests of Grace's page still waiting for an answer.
  let asking = 0;
  const isTrashRequest = (url: string) => new URL(url).pathname === '/api/trash';
  grace.page.on('request', (request) => {
    if (isTrashRequest(request.url())) asking++;
  });
  const answered = (request: Request) => {
    if (isTrashRequest(request.url())) asking--;
  };
  grace.page.on('requestfinished', answered);
  grace.page.on('requestfailed', answered);
  await grace.page.goto('/');
  await grace.page.getByTestId('trash-toggle').click();
  await expect(grace.page.getByRole('heading', { name: 'Trash' })).toBeVisible();
  const entry = grace.page.locator(`[data-doc="${docName}"]`);

  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(docName);
  await ada.typeAtEnd('Watched from the trash');
  await ada.expectStatus('saved');
  await ada.page.getByRole('link', { name: 'All documents' }).click();
  await ada.page.getByTestId('doc-filter').fill(docName);
  await ada.page.getByRole('button', { name: `Move to trash: ${docName}` }).click();
  // No reload on Grace's side: the relay's live feed brings it.
  await expect(
    grace.page.getByTestId('trash-list').locator(`[data-doc="${docName}"]`),
  ).toBeVisible();

  // Restored from Ada's Trash view once Grace's page has its answers (so that what takes the
  // entry away is the restore's event, not an answer that happened to come after it).
  await expect.poll(() => asking).toBe(0);
  await ada.page.getByTestId('trash-toggle').click();
  await ada.page.getByRole('button', { name: `Restore: ${docName}` }).click();
  await expect(entry).toHaveCount(0);
  await ada.close();
  await grace.close();
});
