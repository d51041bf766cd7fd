import { expect, test, type Page } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/** Every way a document might try to run script; each one would set `window.__pwned`. */
const ATTACKS = [
  '# Attacks',
  '<img src=x onerror="window.__pwned = \'img onerror\'">',
  '<script>window.__pwned = "script"</script>',
  "[click me](javascript:window.__pwned='markdown link')",
  '<a href="javascript:window.__pwned=\'html link\'">click me too</a>',
  '<a href="&#106;avascript:window.__pwned=\'encoded link\'">click me three</a>',
  '<iframe srcdoc="<script>parent.__pwned = \'iframe\'</script>"></iframe>',
  '<svg onload="window.__pwned = \'svg onload\'"><circle r="4"/></svg>',
  '<details open ontoggle="window.__pwned = \'details\'">details</details>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=\'mxss\'"></style></mglyph></table></mtext></math>',
  '',
  'End of attacks.',
].join('\n');

/** Records dialogs (alert, confirm, prompt) instead of letting them block the page. */
function recordDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

test('script in a document never runs in anyone’s preview, however it is written', async ({
  browser,
}) => {
  const docName = uniqueDocName('preview-xss');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const mallory = await EditorUser.create(browser, { name: 'Mallory', color: '#e5484d' });
  const adaDialogs = recordDialogs(ada.page);
  await ada.openDocument(docName);
  await mallory.openDocument(docName);
  await ada.showPreview();

  // Mallory pastes the attacks, then types one more key by key (every half-typed tag is
  // rendered on the way), while Ada watches the preview.
  await mallory.insertAtEnd(ATTACKS);
  await mallory.typeAtEnd('\n\n<img src=y onerror=alert(1)> typed.');
  await expect(ada.preview).toContainText('End of attacks.');
  await expect(ada.preview).toContainText('typed.');
  await expect(ada.preview.getByRole('heading', { name: 'Attacks' })).toBeVisible();

  // Every image has finished failing to load, so an onerror would have fired by now.
  await expect
    .poll(() =>
      ada.preview.evaluate((preview) =>
        [...preview.querySelectorAll('img')].every((image) => image.complete),
      ),
    )
    .toBe(true);
  const pwned = () => ada.page.evaluate(() => (window as { __pwned?: unknown }).__pwned);
  expect(await pwned()).toBeUndefined();
  expect(adaDialogs).toEqual([]);
  // Links whose javascript: address was taken out do nothing when clicked.
  for (const name of ['click me too', 'click me three']) {
    await ada.preview.getByText(name, { exact: true }).click();
  }
  expect(await pwned()).toBeUndefined();
  expect(adaDialogs).toEqual([]);

  // What the attacks wrapped is still shown; what they carried is gone.
  await expect(ada.preview.locator('img[src="x"]')).toHaveCount(1);
  await expect(ada.preview.locator('img[src="y"]')).toHaveCount(1);
  // markdown-it refuses the javascript: Markdown link outright: it stays text.
  await expect(ada.preview).toContainText("[click me](javascript:window.__pwned='markdown link')");
  await expect(ada.preview.locator('script, iframe, style')).toHaveCount(0);
  await expect(ada.preview.locator('[onerror], [onload], [ontoggle]')).toHaveCount(0);
  expect(ada.context.pages()).toHaveLength(1);
  await ada.close();
  await mallory.close();
});

test('ticking a task in the preview ticks it in the text, for everyone', async ({ browser }) => {
  const docName = uniqueDocName('preview-tasks');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await grace.openDocument(docName);
  await ada.insertAtEnd('Shopping\n\n- [ ] milk\n- [ ] eggs\n- [x] bread');
  await grace.expectText('Shopping\n\n- [ ] milk\n- [ ] eggs\n- [x] bread');
  await grace.showPreview();
  await ada.showPreview(true);

  await grace.preview.getByRole('checkbox', { name: 'eggs' }).check();
  await ada.showPreview(false);
  await ada.expectText('Shopping\n\n- [ ] milk\n- [x] eggs\n- [x] bread');
  await ada.showPreview(true);
  await expect(ada.preview.getByRole('checkbox', { name: 'eggs' })).toBeChecked();

  // With the keyboard, from Ada's preview: Space unticks bread, and focus stays on the box.
  const bread = ada.preview.getByRole('checkbox', { name: 'bread' });
  await bread.focus();
  await ada.page.keyboard.press('Space');
  await expect(bread).not.toBeChecked();
  await expect(bread).toBeFocused();
  await grace.showPreview(false);
  await grace.expectText('Shopping\n\n- [ ] milk\n- [x] eggs\n- [ ] bread');
  await ada.close();
  await grace.close();
});

test('side by side, the preview follows typing and scrolls in step with the text by line', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const docName = uniqueDocName('preview-scroll');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.page.setViewportSize({ width: 1400, height: 900 });
  await ada.openDocument(docName);
  await grace.openDocument(docName);
  await ada.showPreview();
  await expect(ada.editor).toBeVisible();
  await expect(ada.preview).toHaveClass(/side-by-side/);

  // Grace writes 40 sections of a heading and six lines each (300 lines in all).
  const sections = Array.from(
    { length: 40 },
    (_, s) =>
      `## Section ${s + 1}\n\n` +
      Array.from({ length: 5 }, (_, l) => `Line ${l + 1} of section ${s + 1}.`).join('\n'),
  );
  await grace.insertAtEnd(sections.join('\n\n'));
  await expect(ada.preview.getByRole('heading', { name: 'Section 40' })).toBeAttached();
  await grace.typeAtEnd('\n\nWritten live.');
  await expect(ada.preview).toContainText('Written live.');

  /** Which section heading is nearest the top of the preview pane. */
  const previewTopSection = () =>
    ada.preview.evaluate((pane) => {
      const top = pane.getBoundingClientRect().top;
      const headings = [...pane.querySelectorAll('h2')];
      const nearest = headings.reduce((best, heading) =>
        Math.abs(heading.getBoundingClientRect().top - top) <
        Math.abs(best.getBoundingClientRect().top - top)
          ? heading
          : best,
      );
      return Number(nearest.textContent.replace('Section ', ''));
    });
  /** Which section the first editor line below the header belongs to. */
  const editorTopSection = () =>
    ada.page.evaluate(() => {
      const header = document.querySelector('.editor-top')?.getBoundingClientRect().bottom ?? 0;
      for (const line of document.querySelectorAll('.cm-content > .cm-line')) {
        if (line.getBoundingClientRect().top < header) continue;
        const match = /(?:Section |of section )(\d+)/.exec(line.textContent);
        if (match) return Number(match[1]);
      }
      return 0;
    });

  // Scrolling the text with the wheel scrolls the preview to the same section.
  await ada.editor.hover();
  await ada.page.mouse.wheel(0, 5000);
  await expect.poll(editorTopSection).toBeGreaterThan(10);
  const section = await editorTopSection();
  await expect.poll(previewTopSection).toBeGreaterThanOrEqual(section - 1);
  expect(await previewTopSection()).toBeLessThanOrEqual(section + 1);

  // And the other way round: scrolling the preview brings the text along.
  await ada.preview.hover();
  await ada.page.mouse.wheel(0, 3000);
  await expect.poll(previewTopSection).toBeGreaterThan(section + 3);
  const previewSection = await previewTopSection();
  await expect.poll(editorTopSection).toBeGreaterThanOrEqual(previewSection - 1);
  expect(await editorTopSection()).toBeLessThanOrEqual(previewSection + 1);
  await ada.close();
  await grace.close();
});
