import { expect, test } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

test('two users typing at the same time in different places end with the same text', async ({
  browser,
}) => {
  const docName = uniqueDocName('concurrent');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);

  await ada.typeAtEnd('middle');
  await grace.expectText('middle');

  const adaWords = 'Ada writes the opening. ';
  const graceWords = ' Grace writes the ending.';
  // Both type at once, keystroke by keystroke, so edits interleave on the relay.
  await Promise.all([
    ada.typeAtStart(adaWords, { delay: 15 }),
    grace.typeAtEnd(graceWords, { delay: 15 }),
  ]);

  const expected = `${adaWords}middle${graceWords}`;
  await ada.expectText(expected);
  await grace.expectText(expected);
  await ada.expectStatus('saved');
  await grace.expectStatus('saved');
  await ada.close();
  await grace.close();
});

test('each user sees the other’s named cursor and both in the presence bar; a closed tab leaves', async ({
  browser,
}) => {
  const docName = uniqueDocName('presence');
  const ada = await EditorUser.create(browser, { name: 'Ada Lovelace', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace Hopper', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);

  await ada.typeAtEnd('Hello from Ada.');
  await grace.typeAtEnd(' Hi Ada!');
  await expect(ada.cursorLabelOf(grace)).toBeVisible();
  await ada.typeAtStart('> ');
  await expect(grace.cursorLabelOf(ada)).toBeVisible();

  await expect(ada.presence).toHaveAttribute('data-count', '2');
  await expect(grace.presence).toHaveAttribute('data-count', '2');
  await expect(ada.presence.getByRole('button', { name: /Grace Hopper/ })).toBeVisible();
  await expect(grace.presence.getByRole('button', { name: /Ada Lovelace/ })).toBeVisible();

  // Grace writes far down a long document while Ada reads the top; clicking Grace's avatar
  // brings her cursor into Ada's view. (CodeMirror only draws the lines near the viewport,
  // so "in view" is checked on whatever labels are drawn.)
  await grace.insertAtEnd('\n'.repeat(120) + 'Grace, far below.');
  await expect(ada.page.getByTestId('word-count')).toContainText('8 words');
  await ada.editor.click();
  await ada.page.keyboard.press('ControlOrMeta+Home');
  const graceLabelInView = () =>
    ada.cursorLabelOf(grace).evaluateAll((labels) =>
      labels.some((label) => {
        const box = label.getBoundingClientRect();
        return box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
      }),
    );
  await expect.poll(graceLabelInView).toBe(false);
  await ada.presence.getByRole('button', { name: /Grace Hopper/ }).click();
  await ada.presence.getByRole('menuitem', { name: 'Show their cursor' }).click();
  await expect.poll(graceLabelInView).toBe(true);

  await grace.close();
  await expect(ada.presence).toHaveAttribute('data-count', '1', { timeout: 5000 });
  await expect(ada.cursorLabelOf('Grace Hopper')).toHaveCount(0);
  await ada.close();
});

test('a new name and colour show up live for the other user', async ({ browser }) => {
  const docName = uniqueDocName('rename-user');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);
  await ada.typeAtEnd('Typing here.');
  await expect(grace.cursorLabelOf('Ada')).toBeVisible();

  await ada.presence.getByRole('button', { name: /change your name/ }).click();
  await ada.page.getByRole('textbox', { name: 'Your name' }).fill('Countess Ada');
  await ada.page.getByRole('radio', { name: 'Red' }).click();
  await ada.page.getByRole('button', { name: 'Save' }).click();

  const label = grace.cursorLabelOf('Countess Ada');
  await expect(label).toBeVisible();
  await expect(label).toHaveCSS('background-color', 'rgb(229, 72, 77)');
  await expect(grace.presence.getByRole('button', { name: /Countess Ada/ })).toBeVisible();

  // Stored on this device: still the chosen name after a reload.
  await ada.page.reload();
  await expect(ada.presence.getByRole('button', { name: /You \(Countess Ada\)/ })).toBeVisible();
  await ada.close();
  await grace.close();
});

test('undo takes back only this user’s last edit, never the other user’s', async ({ browser }) => {
  const docName = uniqueDocName('undo');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);

  await ada.insertAtEnd('Ada line.');
  await grace.expectText('Ada line.');
  await grace.insertAtEnd(' Grace line.');
  await ada.expectText('Ada line. Grace line.');

  // Ada's last edit is her only one: undo removes it and leaves Grace's text alone, even
  // though Grace typed after her.
  await ada.editor.click();
  await ada.page.keyboard.press('ControlOrMeta+z');
  await ada.expectText(' Grace line.');
  await grace.expectText(' Grace line.');

  // The toolbar buttons do the same for Grace, and redo brings it back.
  await grace.page.getByTestId('undo').click();
  await grace.expectText('');
  await ada.expectText('');
  await grace.page.getByTestId('redo').click();
  await ada.expectText(' Grace line.');
  await ada.expectStatus('saved');
  await ada.close();
  await grace.close();
});

test('two tabs of one browser sync through the relay', async ({ browser }) => {
  const docName = uniqueDocName('two-tabs');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const second = await ada.newTab();
  const sockets: string[] = [];
  for (const tab of [ada, second]) tab.page.on('websocket', (ws) => sockets.push(ws.url()));

  await ada.openDocument(docName);
  await second.openDocument(docName);
  await ada.typeAtEnd('from tab one');
  await second.expectText('from tab one');
  await second.typeAtEnd(', from tab two');
  await ada.expectText('from tab one, from tab two');
  await expect(ada.presence).toHaveAttribute('data-count', '2');
  await ada.expectStatus('saved');
  await second.expectStatus('saved');
  // Each tab has its own socket to the relay.
  expect(sockets.filter((url) => url.endsWith(`/${docName}`))).toHaveLength(2);
  await ada.close();
});
