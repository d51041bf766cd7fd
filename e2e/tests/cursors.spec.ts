import { expect, test } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/**
 * One selection range is drawn by the browser, as on a bare CodeMirror page; several (here
 * Ctrl+D, "select next occurrence") are drawn by CodeMirror, every cursor visible, and
 * typing goes to each (apps/web/src/editor/selection-drawing.ts).
 */
test('several cursors are all drawn and all type; one cursor is the browser’s own', async ({
  browser,
}) => {
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(uniqueDocName('cursors'));
  await ada.typeAtEnd('cat and cat');
  const drawnCursors = ada.page.locator('.cm-editor .cm-cursorLayer .cm-cursor');
  await expect(drawnCursors).toHaveCount(0);

  await ada.page.keyboard.press('ControlOrMeta+Home');
  // Select the first "cat", add the second, then put a cursor at the end of each.
  await ada.page.keyboard.press('ControlOrMeta+d');
  await ada.page.keyboard.press('ControlOrMeta+d');
  await ada.page.keyboard.press('ArrowRight');
  await expect(drawnCursors).toHaveCount(2);
  await ada.page.keyboard.type('s');
  await ada.expectText('cats and cats');

  // Back to one cursor: the browser draws it again.
  await ada.page.keyboard.press('Escape');
  await expect(drawnCursors).toHaveCount(0);
  await ada.expectStatus('saved');
  await ada.close();
});
