import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
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
