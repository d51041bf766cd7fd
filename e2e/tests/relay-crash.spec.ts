import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startRelayProcess, tempDir, type RelayProcess, type TempDir } from '@weft/testkit';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/**
 * The relay dies with SIGKILL while two people write, and comes back on the same data: both
 * browsers reconnect by themselves, nothing typed is lost, and both end saved and identical.
 * This test runs its own relay process (the suite's shared one must not be killed).
 */
const webDist = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));

let relay: RelayProcess | undefined;
let data: TempDir | undefined;

test.afterEach(async () => {
  await relay?.stop('SIGKILL');
  await data?.remove();
});

async function open(user: EditorUser, base: string, docName: string): Promise<void> {
  await user.page.goto(`${base}/d/${encodeURIComponent(docName)}`);
  await expect(user.editor).toBeVisible();
  await user.expectStatus('saved');
}

test('both users survive a relay crash: reconnect, lose nothing, converge, saved', async ({
  browser,
}) => {
  data = await tempDir('weft-e2e-crash-');
  relay = await startRelayProcess({ dataDir: data.path, env: { WEB_DIST: webDist } });
  const { port, url } = relay;
  const docName = uniqueDocName('crash');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await open(ada, url, docName);
  await open(grace, url, docName);

  await ada.typeAtEnd('Ada before.');
  await grace.typeAtStart('Grace before. ');
  await ada.expectText('Grace before. Ada before.');
  await ada.expectStatus('saved');
  await grace.expectStatus('saved');

  await relay.stop('SIGKILL');
  await ada.expectStatus('offline');
  await grace.expectStatus('offline');
  await ada.typeAtEnd(' Ada during.');
  await grace.typeAtStart('Grace during. ');

  relay = await startRelayProcess({ dataDir: data.path, port, env: { WEB_DIST: webDist } });
  const reconnect = { timeout: 30_000 };
  await expect(ada.status).toHaveAttribute('data-state', 'saved', reconnect);
  await expect(grace.status).toHaveAttribute('data-state', 'saved', reconnect);

  const expected = 'Grace during. Grace before. Ada before. Ada during.';
  await ada.expectText(expected);
  await grace.expectText(expected);

  // And it is on disk: a third user on a fresh browser context reads the same text.
  const reader = await EditorUser.create(browser, { name: 'Reader', color: '#0090ff' });
  await open(reader, url, docName);
  await reader.expectText(expected);

  await ada.close();
  await grace.close();
  await reader.close();
});
