import { expect, test } from '@playwright/test';
import { EditorUser, numberedLines, uniqueDocName } from '../fixtures/users';

test('following someone keeps their cursor in view, scrolling only when it leaves; typing or Escape ends it', async ({
  browser,
}) => {
  // A long story on a machine shared by parallel tests.
  test.setTimeout(120_000);
  const docName = uniqueDocName('follow');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);
  await grace.insertAtEnd(numberedLines(300));
  await expect(ada.page.getByTestId('word-count')).toContainText('600 words');

  // Both start at the top.
  await grace.page.keyboard.press('ControlOrMeta+Home');
  await ada.editor.click();
  await ada.page.keyboard.press('ControlOrMeta+Home');
  await expect.poll(() => ada.lineInView('line 1')).toBe(true);

  await ada.follow(grace);
  await expect(ada.followAnnouncement).toHaveText(/^Following Grace\./);

  // Grace goes to line 250: Ada's view follows her there.
  await grace.page.keyboard.press('ControlOrMeta+End');
  for (let i = 0; i < 50; i++) await grace.page.keyboard.press('ArrowUp');
  await expect.poll(() => ada.lineInView('line 250')).toBe(true);
  await expect(ada.cursorLabelOf(grace)).toBeInViewport();

  // Moving within what Ada already sees does not scroll her view.
  const scrollBefore = await ada.page.evaluate(() => window.scrollY);
  await grace.page.keyboard.press('ArrowDown');
  await grace.page.keyboard.press('ArrowDown');
  await grace.page.keyboard.press('End');
  await grace.page.keyboard.type(' (Grace was here)');
  await expect.poll(() => ada.lineInView('line 252 (Grace was here)')).toBe(true);
  expect(await ada.page.evaluate(() => window.scrollY)).toBe(scrollBefore);

  // Ada types: following ends, and is announced.
  await ada.page.keyboard.type('x');
  await expect(ada.page.getByTestId('following')).toHaveCount(0);
  await expect(ada.followAnnouncement).toHaveText('Stopped following Grace.');
  const scrollAfterStop = await ada.page.evaluate(() => window.scrollY);
  await grace.page.keyboard.press('ControlOrMeta+Home');
  await grace.page.keyboard.type('Top. ');
  await expect(ada.page.getByTestId('word-count')).toContainText('604 words');
  expect(await ada.page.evaluate(() => window.scrollY)).toBe(scrollAfterStop);
  await expect.poll(() => ada.lineInView('Top. line 1')).toBe(false);

  // Following again takes Ada to the top, where Grace is; Escape ends it.
  await ada.follow(grace);
  await expect.poll(() => ada.lineInView('Top. line 1')).toBe(true);
  await ada.page.keyboard.press('Escape');
  await expect(ada.page.getByTestId('following')).toHaveCount(0);
  await expect(ada.followAnnouncement).toHaveText('Stopped following Grace.');

  await ada.close();
  await grace.close();
});

test('following ends with a wheel scroll, and when the followed person leaves', async ({
  browser,
}) => {
  const docName = uniqueDocName('follow-ends');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);
  await grace.insertAtEnd(numberedLines(120));
  await expect(ada.page.getByTestId('word-count')).toContainText('240 words');

  await ada.follow(grace);
  await expect.poll(() => ada.lineInView('line 120')).toBe(true);
  await ada.editor.hover();
  await ada.page.mouse.wheel(0, -400);
  await expect(ada.page.getByTestId('following')).toHaveCount(0);

  await ada.follow(grace);
  await grace.close();
  await expect(ada.followAnnouncement).toHaveText('Grace left the document. Stopped following.');
  await expect(ada.page.getByTestId('following')).toHaveCount(0);
  await ada.close();
});
