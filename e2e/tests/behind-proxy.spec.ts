import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import {
  startNginx,
  startRelayProcess,
  tempDir,
  type NginxProcess,
  type RelayProcess,
  type TempDir,
} from '@weft/testkit';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/**
 * Weft deployed as the README says: the relay on loopback with --trust-proxy and
 * WEFT_PUBLIC_URL, Debian's nginx in front running the shipped deploy/nginx.conf (which sends
 * `Host $host`, without the port). Two people open the same document at nginx's address,
 * write together and both reach "saved".
 */
const webDist = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));

let nginx: NginxProcess | undefined;
let relay: RelayProcess | undefined;
let data: TempDir | undefined;

/** A loopback port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

test.afterEach(async () => {
  await relay?.stop('SIGKILL');
  await nginx?.stop();
  await data?.remove();
});

test('two users write together through nginx and both reach saved', async ({ browser }) => {
  data = await tempDir('weft-e2e-proxy-');
  // nginx must know the relay's port and the relay nginx's address: pick the relay's first.
  const relayPort = await freePort();
  nginx = await startNginx({ upstreamPort: relayPort });
  relay = await startRelayProcess({
    dataDir: data.path,
    port: relayPort,
    env: { WEB_DIST: webDist, WEFT_TRUST_PROXY: '1', WEFT_PUBLIC_URL: nginx.url },
  });
  const docName = uniqueDocName('proxy');
  const address = `${nginx.url}/d/${encodeURIComponent(docName)}`;
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  // A fresh relay process and a cold page: the first connection may be slow on a busy machine.
  const firstConnection = { timeout: 30_000 };
  for (const user of [ada, grace]) {
    await user.page.goto(address);
    await expect(user.editor).toBeVisible(firstConnection);
    await expect(user.status).toHaveAttribute('data-state', 'saved', firstConnection);
  }

  await ada.typeAtEnd('Ada through nginx.');
  await grace.expectText('Ada through nginx.');
  await grace.typeAtStart('Grace too. ');
  const expected = 'Grace too. Ada through nginx.';
  await ada.expectText(expected);
  await grace.expectText(expected);
  await ada.expectStatus('saved');
  await grace.expectStatus('saved');
  await expect(ada.cursorLabelOf(grace)).toBeVisible();

  expect(await nginx.errorLog()).not.toMatch(/\[(emerg|alert|crit)\]/);
  await ada.close();
  await grace.close();
});
