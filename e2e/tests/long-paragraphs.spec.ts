import { expect, test } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/** The computed font style of the first rendered text containing `word` in `user`'s editor. */
function fontStyleOf(user: EditorUser, word: string): Promise<string | null> {
  return user.editor.evaluate((content, wanted) => {
    const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent?.includes(wanted) && node.parentElement) {
        return getComputedStyle(node.parentElement).fontStyle;
      }
    }
    return null;
  }, word);
}

test('a paragraph over 10,000 characters is shown unstyled, and both users keep editing it', async ({
  browser,
}) => {
  const docName = uniqueDocName('long-paragraph');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);

  // A short paragraph with emphasis, then a pasted hard-wrapped block with no blank lines.
  await ada.typeAtEnd('A *brief* note.\n\n');
  let block = '*lengthy* opening words';
  while (block.length <= 12_000) block += '\nmore words on one line of hard-wrapped prose';
  await ada.insertAtEnd(block);

  await expect.poll(() => fontStyleOf(grace, 'brief')).toBe('italic');
  await expect.poll(() => fontStyleOf(grace, 'lengthy')).toBe('normal');
  // Ada's view followed her cursor to the end; CodeMirror draws only what is near the view.
  await ada.page.keyboard.press('ControlOrMeta+Home');
  await expect.poll(() => fontStyleOf(ada, 'lengthy')).toBe('normal');

  // Typing at the top still reaches the other user, and everything is saved.
  await grace.typeAtStart('Grace: ');
  await expect.poll(() => fontStyleOf(ada, 'Grace: ')).not.toBeNull();
  await ada.expectStatus('saved');
  await grace.expectStatus('saved');
  await ada.close();
  await grace.close();
});
