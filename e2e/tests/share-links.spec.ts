/**
 * Share links on a relay in secured mode. The suite's own relay runs in local mode, so each
 * worker starts a second relay with a secret (serving the built web app) and signs tokens
 * with that secret, as `pnpm weft token` would.
 */
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startRelayProcess, tempDir, type RelayProcess, type TempDir } from '@weft/testkit';
import { SignJWT } from 'jose';
import { EditorUser, uniqueDocName } from '../fixtures/users';

const SECRET = 'e2e-share-links-secret-at-least-32-characters';
const WEB_DIST = fileURLToPath(new URL('../../apps/web/dist/', import.meta.url));

let relay: RelayProcess;
let dataDir: TempDir;

test.beforeAll(async () => {
  dataDir = await tempDir('weft-e2e-secured-');
  relay = await startRelayProcess({
    dataDir: dataDir.path,
    env: { WEB_DIST, WEFT_AUTH_SECRET: SECRET },
  });
});

test.afterAll(async () => {
  await relay.stop();
  await dataDir.remove();
});

/** A token for `doc` (a name, or a prefix ending in `*`) that expires in `ttlSeconds`. */
async function signToken(
  doc: string,
  role: 'read' | 'write',
  ttlSeconds = 600,
  sub = 'e2e-user',
): Promise<string> {
  return new SignJWT({ doc, role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(SECRET));
}

/** The link `pnpm weft token` prints: the document's address with the token in the fragment. */
async function shareLink(doc: string, role: 'read' | 'write', ttlSeconds = 600): Promise<string> {
  const token = await signToken(doc, role, ttlSeconds);
  const path = doc.endsWith('*') ? '/' : `/d/${encodeURIComponent(doc)}`;
  return `${relay.url}${path}#token=${token}`;
}

const ada = { name: 'Ada', color: '#6e56cf' };
const grace = { name: 'Grace', color: '#30a46c' };
const edsger = { name: 'Edsger', color: '#f76b15' };

test('a read-only share link opens the document read-only, and typing changes nothing anywhere', async ({
  browser,
}) => {
  const docName = uniqueDocName('read-link');
  const writer = await EditorUser.create(browser, ada);
  const reader = await EditorUser.create(browser, grace);
  await writer.openLink(await shareLink(docName, 'write'));
  await writer.title.fill('Launch plan');
  await writer.typeAtEnd('Written by Ada.');
  await writer.expectStatus('saved');

  await reader.openLink(await shareLink(docName, 'read'));
  // The token is kept, and out of the address bar.
  await expect(reader.page).toHaveURL(`${relay.url}/d/${docName}`);
  await expect(reader.readOnlyBadge).toBeVisible();
  await expect(reader.readOnlyBadge).toHaveText('Read only');
  await reader.expectText('Written by Ada.');
  await reader.expectStatus('saved');
  await expect(reader.editor).toHaveAttribute('contenteditable', 'false');
  await expect(reader.title).toHaveValue('Launch plan');
  await expect(reader.title).not.toBeEditable();
  const toolbar = reader.page.getByRole('toolbar', { name: 'Formatting' });
  for (const name of ['Undo your last edit', 'Redo', 'Bold', 'Heading', 'Bulleted list']) {
    await expect(toolbar.getByRole('button', { name })).toBeDisabled();
  }
  await expect(writer.readOnlyBadge).toBeHidden();

  // The reader tries what a writer would: typing, deleting, a new line, a shortcut, undo,
  // a paste-like insert, and renaming.
  await reader.editor.click();
  await reader.page.keyboard.press('ControlOrMeta+End');
  await reader.page.keyboard.type('Sneaky edit.');
  await reader.page.keyboard.press('Backspace');
  await reader.page.keyboard.press('Enter');
  await reader.page.keyboard.press('ControlOrMeta+b');
  await reader.page.keyboard.press('ControlOrMeta+z');
  await reader.page.keyboard.insertText('Pasted.');
  await reader.title.click();
  await reader.page.keyboard.type(' (renamed)');
  // Then moves the cursor, which writer sees: presence travels through the relay on the same
  // socket, after anything the reader sent before, so once Ada sees Grace's cursor the relay
  // has dealt with every keystroke above.
  await reader.editor.click();
  await reader.page.keyboard.press('ControlOrMeta+Home');
  await expect(writer.cursorLabelOf(reader)).toBeVisible();

  // Nothing changed for the reader ('saved' also says it holds no edit the relay lacks)…
  await reader.expectText('Written by Ada.');
  await expect(reader.title).toHaveValue('Launch plan');
  await reader.expectStatus('saved');
  // …nor for the writer…
  await writer.expectText('Written by Ada.');
  await expect(writer.title).toHaveValue('Launch plan');
  // …nor on the relay: a fresh writer loads exactly what Ada wrote.
  const fresh = await EditorUser.create(browser, edsger);
  await fresh.openLink(await shareLink(docName, 'write'));
  await fresh.expectStatus('saved');
  await fresh.expectText('Written by Ada.');
  await expect(fresh.title).toHaveValue('Launch plan');

  // The reader still follows along live.
  await writer.typeAtEnd(' More from Ada.');
  await reader.expectText('Written by Ada. More from Ada.');
  await reader.expectStatus('saved');

  await writer.close();
  await reader.close();
  await fresh.close();
});

test('a write share link opens the document for editing, and keeps working after a reload', async ({
  browser,
}) => {
  const docName = uniqueDocName('write-link');
  const writer = await EditorUser.create(browser, ada);
  await writer.openLink(await shareLink(docName, 'write'));
  await expect(writer.page).toHaveURL(`${relay.url}/d/${docName}`);
  await writer.expectStatus('saved');
  await expect(writer.readOnlyBadge).toBeHidden();
  await writer.typeAtEnd('First line.');
  await writer.expectStatus('saved');

  // The token was kept for this document: a plain reload (no fragment) still connects.
  await writer.page.reload();
  await writer.expectText('First line.');
  await writer.expectStatus('saved');
  await writer.typeAtEnd(' Second line.');
  await writer.expectStatus('saved');

  const other = await EditorUser.create(browser, grace);
  await other.openLink(await shareLink(docName, 'write'));
  await other.expectText('First line. Second line.');
  await other.typeAtStart('Grace: ');
  await writer.expectText('Grace: First line. Second line.');
  await other.expectStatus('saved');

  await writer.close();
  await other.close();
});

test('an expired link asks for a fresh one; after pasting it, the edits made meanwhile are saved', async ({
  browser,
}) => {
  const docName = uniqueDocName('expiring-link');
  const writer = await EditorUser.create(browser, ada);
  // Expires within 2–3 s: the relay closes the socket with 4401 then.
  await writer.openLink(await shareLink(docName, 'write', 3));
  await writer.typeAtEnd('Before expiry.');

  await expect(writer.accessPrompt).toBeVisible();
  await expect(writer.accessPrompt).toHaveAttribute('data-problem', 'expired');
  await expect(writer.accessPrompt).toContainText('Your access link has expired');
  await writer.expectStatus('offline');
  await expect(writer.status).toContainText('Link expired');

  // Writing goes on; the edits are kept on this device.
  await writer.typeAtEnd(' While expired.');
  await expect(writer.status).toHaveAttribute('data-local', 'stored');
  await expect(writer.status).toHaveText('Link expired — edits kept on this device');
  await writer.expectStatus('offline');

  // "Not now" hides the prompt; the status line offers it again.
  await writer.accessPrompt.getByRole('button', { name: 'Not now' }).click();
  await expect(writer.accessPrompt).toBeHidden();
  await writer.page.getByRole('button', { name: 'Enter new link' }).click();
  await expect(writer.accessPrompt).toBeVisible();

  // A wrong paste is explained; a fresh link reconnects.
  const input = writer.accessPrompt.getByTestId('access-link-input');
  await input.fill(`${relay.url}/d/${docName}`);
  await writer.accessPrompt.getByTestId('access-link-submit').click();
  await expect(writer.accessPrompt.getByRole('alert')).toContainText('not a Weft share link');
  await input.fill(await shareLink(docName, 'write'));
  await writer.accessPrompt.getByTestId('access-link-submit').click();
  await expect(writer.accessPrompt).toBeHidden();
  await writer.expectStatus('saved');
  await writer.expectText('Before expiry. While expired.');

  // The relay has both edits.
  const fresh = await EditorUser.create(browser, edsger);
  await fresh.openLink(await shareLink(docName, 'write'));
  await fresh.expectStatus('saved');
  await fresh.expectText('Before expiry. While expired.');

  await writer.close();
  await fresh.close();
});

test('the document list of a private server explains itself; a prefix link lists its documents', async ({
  browser,
}) => {
  const prefix = uniqueDocName('team');
  const docName = `${prefix}-plan`;
  const writer = await EditorUser.create(browser, ada);
  await writer.openLink(await shareLink(docName, 'write'));
  await writer.title.fill('Team plan');
  await writer.expectStatus('saved');

  const visitor = await EditorUser.create(browser, grace);
  await visitor.page.goto(`${relay.url}/`);
  await expect(visitor.page.getByTestId('private-notice')).toContainText('This server is private');

  await visitor.page.goto(await shareLink(`${prefix}-*`, 'read'));
  await expect(visitor.page).toHaveURL(`${relay.url}/`);
  const link = visitor.page.getByTestId('doc-list').locator(`[data-doc="${docName}"]`);
  await expect(link).toContainText('Team plan');
  await link.click();
  await expect(visitor.readOnlyBadge).toBeVisible();
  await visitor.expectStatus('saved');

  await writer.close();
  await visitor.close();
});
