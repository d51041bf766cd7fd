import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startRelayProcess, tempDir, type RelayProcess, type TempDir } from '@weft/testkit';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/**
 * "Saved" covers deletions. The relay process is frozen with SIGSTOP: its socket stays open,
 * so the browser believes it is connected, but nothing can be stored. A deletion changes no
 * Yjs state vector, so an acknowledgement by state vector would call it saved at once; the
 * status must stay unsaved until the relay runs again and has stored it, and what it called
 * saved must survive SIGKILL. This test runs its own relay process.
 */
const webDist = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));

let relay: RelayProcess | undefined;
let data: TempDir | undefined;

test.afterEach(async () => {
  if (relay?.child.pid !== undefined) process.kill(relay.child.pid, 'SIGCONT');
  await relay?.stop('SIGKILL');
  await data?.remove();
});

test('a deletion is never "saved" while the relay is frozen, and survives SIGKILL once it is', async ({
  browser,
}) => {
  data = await tempDir('weft-e2e-frozen-');
  relay = await startRelayProcess({ dataDir: data.path, env: { WEB_DIST: webDist } });
  const { port, url } = relay;
  const pid = relay.child.pid;
  if (pid === undefined) throw new Error('relay process has no pid');
  const docName = uniqueDocName('frozen');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.page.goto(`${url}/d/${encodeURIComponent(docName)}`);
  await expect(ada.editor).toBeVisible();
  await ada.typeAtEnd('Keep these words gone');
  await ada.expectStatus('saved');

  // Record every state the badge shows from now on, in the page itself, so that a "saved"
  // that lasts a single frame is seen too.
  await ada.status.evaluate((badge) => {
    const seen: string[] = [];
    (window as unknown as { seenStates: string[] }).seenStates = seen;
    new MutationObserver(() => seen.push(badge.getAttribute('data-state') ?? '')).observe(badge, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
  const seenStates = () =>
    ada.page.evaluate(() => [...(window as unknown as { seenStates: string[] }).seenStates]);

  process.kill(pid, 'SIGSTOP');
  await ada.page.keyboard.press('Control+Backspace');
  await ada.expectText('Keep these words ');
  await expect(ada.status).toHaveAttribute('data-state', 'syncing');
  await expect(ada.status).toHaveText(/1 edit not yet saved/);
  const whileFrozen = await seenStates();
  process.kill(pid, 'SIGCONT');

  await ada.expectStatus('saved');
  expect(whileFrozen).not.toContain('saved');

  await relay.stop('SIGKILL');
  relay = await startRelayProcess({ dataDir: data.path, port, env: { WEB_DIST: webDist } });
  const reader = await EditorUser.create(browser, { name: 'Reader', color: '#0090ff' });
  await reader.page.goto(`${url}/d/${encodeURIComponent(docName)}`);
  await reader.expectStatus('saved');
  await reader.expectText('Keep these words ');

  await ada.close();
  await reader.close();
});
