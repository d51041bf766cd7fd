import { chromium, expect, test, type Browser } from '@playwright/test';
import {
  connectYjsClient,
  startRelayProcess,
  tempDir,
  typeAndSave,
  type RelayProcess,
  type TempDir,
} from '@weft/testkit';
import { uniqueDocName } from '../fixtures/users';

/**
 * DNS rebinding against a relay in local mode, in a real browser. Chromium resolves
 * `rebound.test` to 127.0.0.1 (`--host-resolver-rules`), as an attacker's name does once its
 * DNS answer is rebound; the attacker's page itself comes from Playwright, standing in for
 * the attacker's server that served it before the rebinding. The page's requests are then
 * same-origin with the relay, so the browser lets it read the answers: only the relay's
 * `Host` check keeps the documents from it.
 */
const NAME = 'rebound.test';

let relay: RelayProcess | undefined;
let data: TempDir | undefined;
let rebinding: Browser | undefined;

test.afterEach(async () => {
  await rebinding?.close();
  await relay?.stop('SIGKILL');
  await data?.remove();
});

async function rebindingBrowser(): Promise<Browser> {
  const launch = test.info().project.use.launchOptions ?? {};
  rebinding = await chromium.launch({
    ...launch,
    args: [
      ...(launch.args ?? []),
      `--host-resolver-rules=MAP ${NAME} 127.0.0.1`,
      // Chromium's own guard against public pages reaching loopback (Private/Local Network
      // Access) would refuse these requests first; other browsers lack it, so it is off here.
      '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks',
    ],
  });
  return rebinding;
}

/** What the attacker's page gets from the relay: the document list, and a socket's fate. */
async function attack(env: Record<string, string>, docName: string) {
  data = await tempDir('weft-e2e-rebinding-');
  relay = await startRelayProcess({ dataDir: data.path, env });
  const origin = `http://${NAME}:${relay.port}`;
  // A document someone at this machine wrote, which the attacker is after.
  const writer = connectYjsClient(relay.url, docName);
  try {
    await typeAndSave(writer, 'private notes');
  } finally {
    writer.destroy();
  }

  const context = await (await rebindingBrowser()).newContext();
  const page = await context.newPage();
  await page.route(`${origin}/attack.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>attack</title>' }),
  );
  await page.goto(`${origin}/attack.html`);
  return page.evaluate(async (name) => {
    const list = await fetch('/api/docs');
    const socket = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://${location.host}/${encodeURIComponent(name)}`);
      ws.onopen = () => {
        ws.close();
        resolve('open');
      };
      ws.onerror = () => resolve('refused');
    });
    return { status: list.status, body: await list.text(), socket };
  }, docName);
}

test('a page whose name was rebound to a local-mode relay reads nothing and cannot connect', async () => {
  const docName = uniqueDocName('secret');
  const result = await attack({}, docName);
  expect(result.status).toBe(403);
  expect(result.body).toContain('"refusal":"host"');
  expect(result.body).not.toContain(docName);
  expect(result.socket).toBe('refused');
});

test('the same page is served once the operator lists the name (the check above can fail)', async () => {
  const docName = uniqueDocName('listed');
  const result = await attack({ WEFT_ALLOWED_HOSTS: NAME }, docName);
  expect(result.status).toBe(200);
  expect(result.body).toContain(docName);
  expect(result.socket).toBe('open');
});
