import { expect, test, type WebSocketRoute } from '@playwright/test';
import { EditorUser, uniqueDocName } from '../fixtures/users';

test('status: saved after typing, offline without a network, saved again when back', async ({
  browser,
}) => {
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  await ada.openDocument(uniqueDocName('status'));
  await ada.typeAtEnd('Some words.');
  await ada.expectStatus('saved');
  await expect(ada.status).toHaveText('Saved');

  await ada.goOffline();
  await ada.typeAtEnd(' More.');
  await expect(ada.status).toHaveAttribute('data-local', 'stored');
  await expect(ada.status).toHaveText('Offline — edits kept on this device');

  await ada.goOnline();
  await ada.expectStatus('saved');
  await ada.close();
});

test('status: offline while the relay is unreachable, saved once it answers again', async ({
  browser,
}) => {
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  // Every WebSocket of this page goes through a switch the test controls. The network itself
  // stays up, so what is tested is the app noticing a dead relay and backing off.
  let relayUp = true;
  const live: WebSocketRoute[] = [];
  await ada.page.routeWebSocket(/\/unreachable-/, (ws) => {
    if (relayUp) {
      ws.connectToServer();
      live.push(ws);
    } else {
      void ws.close({ code: 1011, reason: 'relay down' });
    }
  });
  await ada.openDocument(uniqueDocName('unreachable'));
  await ada.typeAtEnd('Before the outage.');
  await ada.expectStatus('saved');

  relayUp = false;
  for (const ws of live.splice(0)) await ws.close({ code: 1011, reason: 'relay down' });
  await ada.expectStatus('offline');
  await expect(ada.status).toContainText('Can’t reach the server');
  await ada.typeAtEnd(' During the outage.');
  await expect(ada.status).toHaveAttribute('data-state', 'offline');

  await expect(ada.page.getByRole('button', { name: 'Retry now' })).toBeVisible();
  relayUp = true;
  // The app's own backoff may reconnect (and hide the button) before a click could land, so
  // click it only if it is still there, atomically in the page.
  await ada.page.evaluate(() => {
    document.querySelector<HTMLButtonElement>('.sync-wrap .link-button')?.click();
  });
  await ada.expectStatus('saved');
  await ada.page.reload();
  await ada.expectText('Before the outage. During the outage.');
  await ada.close();
});

test('offline reconcile: edits made offline survive a reload and merge when back online', async ({
  browser,
}) => {
  const docName = uniqueDocName('reconcile');
  const ada = await EditorUser.create(browser, { name: 'Ada', color: '#6e56cf' });
  const grace = await EditorUser.create(browser, { name: 'Grace', color: '#30a46c' });
  await ada.openDocument(docName);
  await ada.waitForOfflineShell();
  await grace.openDocument(docName);
  await ada.typeAtEnd('Shared start.');
  await grace.expectText('Shared start.');
  await ada.expectStatus('saved');

  await ada.goOffline();
  await ada.typeAtEnd(' Ada offline one.');
  await grace.typeAtStart('Grace online. ');
  await grace.expectStatus('saved');
  await expect(ada.status).toHaveAttribute('data-local', 'stored');

  // A reload with no network at all: the service worker serves the app, IndexedDB the text.
  await ada.page.reload();
  await ada.expectText('Shared start. Ada offline one.');
  await ada.expectStatus('offline');
  await ada.typeAtEnd(' Ada offline two.');
  await expect(ada.status).toHaveAttribute('data-local', 'stored');

  await ada.goOnline();
  const merged = 'Grace online. Shared start. Ada offline one. Ada offline two.';
  await ada.expectText(merged);
  await grace.expectText(merged);
  await ada.expectStatus('saved');
  await grace.expectStatus('saved');
  await ada.close();
  await grace.close();
});
