import { expect, test } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

// The editor opens without the HTML grammar and loads it once the page is idle
// (apps/web/src/editor/html-in-markdown.ts): from then on, HTML inside Markdown is HTML again,
// and an HTML block's tag you open is closed for you, as lang-markdown does. Fails if the
// build's stand-in is never replaced.
test('once the editor is idle, an HTML block typed in Markdown has its tag closed for you, for everyone', async ({
  browser,
}) => {
  const docName = uniqueDocName('html-in-markdown');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);

  // Typed before the HTML language has loaded, the tag stays as typed: start again until it has.
  await expect(async () => {
    await ada.editor.click();
    await ada.page.keyboard.press('ControlOrMeta+A');
    await ada.page.keyboard.press('Delete');
    await ada.page.keyboard.type('<aside class="note">');
    expect(await ada.documentText()).toBe('<aside class="note"></aside>');
  }).toPass({ timeout: 15_000 });

  // The closing tag went in before the cursor's place: typing goes between the two.
  await ada.page.keyboard.type('now');
  await ada.expectText('<aside class="note">now</aside>');
  await grace.expectText('<aside class="note">now</aside>');
  await ada.expectStatus('saved');

  await ada.close();
  await grace.close();
});
