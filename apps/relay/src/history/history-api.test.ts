/**
 * The history API end to end, with official y-websocket clients: naming, listing, reading,
 * restoring as a forward change that reaches every open editor and an offline copy, the
 * access rules, and authorship that cannot be forged and survives a restart.
 */
import { MemoryDocStore } from '@weft/storage';
import { tempDir, waitUntil, type YjsClient } from '@weft/testkit';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { secretKey, signToken, type Role } from '../auth';
import type { Relay } from '../relay';
import { useRelayHarness } from '../test-support';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = secretKey(SECRET);

function token(doc: string, role: Role, user = `user-${role}`): Promise<string> {
  return signToken({ userId: user, name: user.toUpperCase(), doc, role, ttlSeconds: 3600 }, key);
}

interface Answer {
  status: number;
  body: unknown;
}

async function api(
  relay: Relay,
  path: string,
  options: { method?: string; body?: unknown; token?: string } = {},
): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${relay.port}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: response.status, body: await response.json() };
}

function replace(client: YjsClient, text: string): void {
  client.doc.transact(() => {
    client.text.delete(0, client.text.length);
    client.text.insert(0, text);
  });
}

/**
 * Makes `client` send an insertion made under Yjs client id `clientId` (its own doc keeps its
 * id: y-websocket's awareness is bound to it).
 */
function writeAs(client: YjsClient, clientId: number, index: number, text: string): void {
  const author = new Y.Doc();
  Y.applyUpdate(author, Y.encodeStateAsUpdate(client.doc));
  // After the state: Yjs gives a document a new id when an update brings content under its own.
  author.clientID = clientId;
  author.getText('content').insert(index, text);
  Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(author, Y.encodeStateVector(client.doc)));
  author.destroy();
}

const textIs = (client: YjsClient, text: string) => () => client.text.toString() === text;

describe('history API', () => {
  const harness = useRelayHarness();

  it('names, lists and reads versions, and restores one as a change every editor gets', async () => {
    const relay = await harness.start();
    const doc = 'restore-reaches-everyone';
    const writer = harness.connect(relay, doc);
    const others = [harness.connect(relay, doc), harness.connect(relay, doc)];
    const offline = harness.connect(relay, doc);
    writer.text.insert(0, 'alpha');
    await waitUntil(() => [...others, offline].every((c) => textIs(c, 'alpha')()), 'all see alpha');
    const named = await api(relay, `/api/docs/${doc}/versions`, {
      method: 'POST',
      body: { name: 'v1' },
    });
    expect(named.status).toBe(201);
    const v1 = named.body as { id: string };
    expect(named.body).toMatchObject({ name: 'v1', reason: 'named', chars: 5 });

    // The offline copy holds "alpha" and misses everything from here on.
    offline.provider.disconnect();
    replace(writer, 'beta');
    await waitUntil(() => others.every((c) => textIs(c, 'beta')()), 'others see beta');

    const read = await api(relay, `/api/docs/${doc}/versions/${v1.id}`);
    expect(read).toMatchObject({ status: 200, body: { id: v1.id, name: 'v1', text: 'alpha' } });

    const restored = await api(relay, `/api/docs/${doc}/versions/${v1.id}/restore`, {
      method: 'POST',
    });
    expect(restored.status).toBe(201);
    expect(restored.body).toMatchObject({ reason: 'restore', restoredFrom: v1.id, chars: 5 });
    for (const client of [writer, ...others]) {
      await waitUntil(textIs(client, 'alpha'), 'every open editor sees the restore');
    }
    // The stale copy reconnects: its older state merges in, and "beta" does not come back.
    offline.provider.connect();
    await waitUntil(() => offline.provider.synced, 'the offline copy synced');
    for (const client of [writer, ...others, offline]) {
      await waitUntil(textIs(client, 'alpha'), 'everyone converged on the restore');
    }
    expect(relay.rooms.peek(doc)?.doc.getText('content').toString()).toBe('alpha');

    const list = (await api(relay, `/api/docs/${doc}/versions`)).body as {
      id: string;
      reason: string;
      name?: string;
      restoredFrom?: string;
    }[];
    expect(list.map((entry) => entry.reason)).toEqual(['restore', 'before-restore', 'named']);
    expect(list[1]).toMatchObject({ restoredFrom: v1.id });
    const beforeText = await api(relay, `/api/docs/${doc}/versions/${list[1]?.id ?? ''}`);
    expect(beforeText.body).toMatchObject({ text: 'beta' });
  });

  it('answers bad requests plainly', async () => {
    const relay = await harness.start();
    expect((await api(relay, '/api/docs/nothing-here/versions')).body).toEqual([]);
    expect((await api(relay, '/api/docs/nothing-here/versions/1')).status).toBe(404);
    expect(
      (await api(relay, '/api/docs/nothing-here/versions/1/restore', { method: 'POST' })).status,
    ).toBe(404);
    expect((await api(relay, '/api/docs/-bad-/versions')).status).toBe(400);
    const unnamed = await api(relay, '/api/docs/d/versions', { method: 'POST', body: {} });
    expect(unnamed.status).toBe(400);
    const tooLong = await api(relay, '/api/docs/d/versions', {
      method: 'POST',
      body: { name: 'x'.repeat(101) },
    });
    expect(tooLong.status).toBe(400);
    const response = await fetch(`http://127.0.0.1:${relay.port}/api/docs/d/versions`, {
      method: 'POST',
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect((await api(relay, '/api/docs/d/versions', { method: 'DELETE' })).status).toBe(405);
  });

  it('lets a read-only token list and read but not name or restore', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() }, { authKey: key });
    const doc = 'guarded';
    const write = await token(doc, 'write');
    const read = await token(doc, 'read');
    const writer = harness.connect(relay, doc, { params: { token: write } });
    writer.text.insert(0, 'secret plans');
    await waitUntil(() => relay.rooms.peek(doc)?.doc.getText('content').length === 12, 'applied');
    const v1 = await api(relay, `/api/docs/${doc}/versions`, {
      method: 'POST',
      body: { name: 'v1' },
      token: write,
    });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ authors: [{ id: 'user-write', name: 'USER-WRITE' }] });
    const id = (v1.body as { id: string }).id;

    expect((await api(relay, `/api/docs/${doc}/versions`, { token: read })).status).toBe(200);
    const readBack = await api(relay, `/api/docs/${doc}/versions/${id}`, { token: read });
    expect(readBack).toMatchObject({ status: 200, body: { text: 'secret plans' } });
    const name = await api(relay, `/api/docs/${doc}/versions`, {
      method: 'POST',
      body: { name: 'mine' },
      token: read,
    });
    expect(name.status).toBe(403);
    const restore = await api(relay, `/api/docs/${doc}/versions/${id}/restore`, {
      method: 'POST',
      token: read,
    });
    expect(restore.status).toBe(403);
    expect((await api(relay, `/api/docs/${doc}/versions`, { token: read })).body).toHaveLength(1);

    // No token, a token for another document: as for the WebSocket.
    expect((await api(relay, `/api/docs/${doc}/versions`)).status).toBe(401);
    const elsewhere = await token('other-doc', 'write');
    expect((await api(relay, `/api/docs/${doc}/versions`, { token: elsewhere })).status).toBe(403);
    expect((await api(relay, `/api/docs/${doc}/authors`, { token: read })).status).toBe(200);
  });
});

describe('authorship', () => {
  const harness = useRelayHarness();

  it('refuses content under a client id another user claimed, with 1008, even after a restart', async () => {
    const dir = await tempDir('weft-authorship-');
    try {
      let relay = await harness.start({ dataDir: dir.path }, { authKey: key });
      const doc = 'forgery';
      const ada = harness.connect(relay, doc, {
        params: { token: await token(doc, 'write', 'ada') },
      });
      await waitUntil(() => ada.provider.synced, 'ada synced');
      writeAs(ada, 424242, 0, 'by ada');
      await waitUntil(() => relay.rooms.peek(doc)?.doc.getText('content').length === 6, 'applied');

      const forge = async (target: Relay): Promise<number> => {
        const mallory = harness.connect(target, doc, {
          params: { token: await token(doc, 'write', 'mallory') },
        });
        const closed = new Promise<number>((resolve) => {
          mallory.provider.on('connection-close', (event) => resolve(event?.code ?? 0));
        });
        await waitUntil(() => mallory.provider.synced, 'mallory synced');
        writeAs(mallory, 424242, 0, 'forged ');
        // Not closed within five seconds: the forgery was accepted.
        const code = await Promise.race([
          closed,
          new Promise<number>((resolve) => setTimeout(() => resolve(-1), 5000)),
        ]);
        mallory.destroy();
        return code;
      };
      expect(await forge(relay)).toBe(1008);
      expect(relay.rooms.peek(doc)?.doc.getText('content').toString()).toBe('by ada');

      // Ada's own client id stays hers, and her next edits go through.
      writeAs(ada, 424242, 6, '!');
      await waitUntil(
        () => relay.rooms.peek(doc)?.doc.getText('content').toString() === 'by ada!',
        'ada',
      );
      const authors = await api(relay, `/api/docs/${doc}/authors`, {
        token: await token(doc, 'read'),
      });
      expect(authors.body).toEqual({ authors: { 424242: { id: 'ada', name: 'ADA' } } });

      ada.destroy();
      await relay.close(5000);
      relay = await harness.start({ dataDir: dir.path }, { authKey: key });
      expect(await forge(relay)).toBe(1008);
      const afterRestart = await api(relay, `/api/docs/${doc}/authors`, {
        token: await token(doc, 'read'),
      });
      expect(afterRestart.body).toEqual({ authors: { 424242: { id: 'ada', name: 'ADA' } } });
    } finally {
      await dir.remove();
    }
  });

  it('names local-mode users after the identity their presence shows', async () => {
    const relay = await harness.start();
    const doc = 'local-authors';
    const client = harness.connect(relay, doc);
    client.provider.awareness.setLocalStateField('user', { name: 'Brisk Otter', color: '#30a46c' });
    client.text.insert(0, 'hello');
    const id = client.doc.clientID;
    await waitUntil(() => relay.rooms.peek(doc)?.authorship.authorOf(id) !== undefined, 'recorded');
    const authors = await api(relay, `/api/docs/${doc}/authors`);
    expect(authors.body).toEqual({
      authors: { [id]: { id: 'local:Brisk Otter', name: 'Brisk Otter', color: '#30a46c' } },
    });
  });
});
