import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { startRelayProcess, tempDir, type RelayProcess, type TempDir } from '@weft/testkit';
import { EditorUser, uniqueDocName } from '../fixtures/users';

/**
 * When the relay is reachable but refuses the page for a reason no access link fixes, the
 * page says so and says what the operator must set — never "Offline". Each test runs its own
 * misconfigured relay.
 */
const webDist = fileURLToPath(new URL('../../apps/web/dist', import.meta.url));

let relay: RelayProcess | undefined;
let data: TempDir | undefined;

test.afterEach(async () => {
  await relay?.stop('SIGKILL');
  await data?.remove();
});

async function startRelay(env: Record<string, string>): Promise<RelayProcess> {
  data = await tempDir('weft-e2e-refusal-');
  relay = await startRelayProcess({ dataDir: data.path, env: { WEB_DIST: webDist, ...env } });
  return relay;
}

test('a page at an address other than WEFT_PUBLIC_URL is told why, and what to set', async ({
  browser,
}) => {
  const { url } = await startRelay({ WEFT_PUBLIC_URL: 'https://weft.example.com' });
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.page.goto(`${url}/d/${encodeURIComponent(uniqueDocName('origin'))}`);
  await expect(ada.editor).toBeVisible();

  const refusal = ada.page.getByTestId('relay-refusal');
  // After the first failed attempt and one access check; slow only on a busy machine.
  await expect(refusal).toHaveAttribute('data-refusal', 'origin', { timeout: 30_000 });
  await expect(refusal).toContainText(
    `The relay refuses connections from ${url} (its public address is https://weft.example.com). ` +
      `The operator must set WEFT_PUBLIC_URL to ${url}, or add it to WEFT_ALLOWED_ORIGINS.`,
  );
  await expect(ada.status).toHaveAttribute('data-state', 'offline');
  await expect(ada.status).not.toContainText('Offline');
  await expect(ada.status).toContainText('Refused by the relay');

  // Writing goes on; the edits stay on this device until the operator fixes the relay.
  await ada.typeAtEnd('kept while refused');
  await ada.expectText('kept while refused');
  await ada.close();
});

test('a second tab over the per-address cap is told the relay refuses more connections', async ({
  browser,
}) => {
  const { url } = await startRelay({ WEFT_MAX_CONNECTIONS_PER_ADDRESS: '1' });
  const docName = uniqueDocName('capped');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.page.goto(`${url}/d/${encodeURIComponent(docName)}`);
  await ada.expectStatus('saved');

  const second = await ada.newTab();
  await second.page.goto(`${url}/d/${encodeURIComponent(docName)}`);
  const refusal = second.page.getByTestId('relay-refusal');
  await expect(refusal).toHaveAttribute('data-refusal', 'address-limit', { timeout: 30_000 });
  await expect(refusal).toContainText('(it allows 1 from one address)');
  await expect(refusal).toContainText('WEFT_TRUST_PROXY=1');
  await expect(second.status).not.toContainText('Offline');

  // Once the first tab goes, the second gets in by itself and the notice goes away.
  await ada.page.close();
  await expect(second.status).toHaveAttribute('data-state', 'saved', { timeout: 45_000 });
  await expect(refusal).toHaveCount(0);
  await ada.close();
});
