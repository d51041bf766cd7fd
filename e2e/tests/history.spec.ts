import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

test('two users: name v1, rewrite, preview, restore for everyone, undo it, see who wrote what', async ({
  browser,
}) => {
  const docName = uniqueDocName('history');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);

  await ada.insertAtEnd('alpha');
  await ada.expectStatus('saved');
  const history = ada.page.getByTestId('history-panel');
  await ada.page.getByTestId('history-toggle').click();
  await history.getByLabel('Name this version').fill('v1');
  await history.getByRole('button', { name: 'Save name' }).click();
  await expect(history.getByTestId('history-entry').filter({ hasText: 'v1' })).toHaveCount(1);

  await ada.editor.click();
  await ada.page.keyboard.press('ControlOrMeta+A');
  await ada.page.keyboard.type('beta');
  await ada.expectText('beta');
  await grace.expectText('beta');
  await ada.expectStatus('saved');

  await history.getByTestId('history-entry').filter({ hasText: 'v1' }).click();
  await expect(history.getByTestId('version-preview')).toContainText('alpha');
  const axe = await new AxeBuilder({ page: ada.page })
    .include('[data-testid="history-panel"]')
    .withTags(WCAG_21_AA)
    .analyze();
  expect(axe.violations.map((violation) => violation.id)).toEqual([]);

  await history.getByRole('button', { name: 'Restore', exact: true }).click();
  await history.getByRole('button', { name: 'Restore this version' }).click();
  await ada.expectText('alpha');
  await grace.expectText('alpha');
  await expect(history.getByTestId('history-entry').first()).toContainText('Restored “v1”');
  await expect(
    history.getByTestId('history-entry').filter({ hasText: 'Before restoring' }),
  ).toHaveCount(1);

  await grace.page.reload();
  await expect(grace.editor).toBeVisible();
  await grace.expectText('alpha');

  await ada.editor.click();
  await ada.page.keyboard.press('ControlOrMeta+Z');
  await ada.expectText('beta');
  await grace.expectText('beta');

  await grace.typeAtEnd(' and gamma');
  await ada.expectText('beta and gamma');
  await ada.expectStatus('saved');
  await grace.expectStatus('saved');
  await history.getByRole('button', { name: 'Authors' }).click();
  const legend = history.getByTestId('authors-legend');
  await expect(legend).toContainText('Ada');
  await expect(legend).toContainText('Grace');
  await expect(history.getByTestId('authors-text').locator('[title="Grace"]')).toContainText(
    'gamma',
  );
  await ada.close();
  await grace.close();
});
