/**
 * The trash over real HTTP with official y-websocket clients: trashing closes open editors
 * with 4404 and refuses new ones, restoring brings the content back, deleting for good
 * removes the document and its versions, the retention sweep removes only old ones, and
 * read-only tokens may not touch it.
 */
import { MemoryDocStore } from '@weft/storage';
import { nextClose, typeAndSave, waitUntil } from '@weft/testkit';
import { describe, expect, it } from 'vitest';
import { secretKey, signToken } from './auth';
import { openSse } from './sse-test-support';
import type { Relay } from './relay';
import { useRelayHarness } from './test-support';

const DAY_MS = 24 * 60 * 60 * 1000;

function api(relay: Relay, method: string, path: string, token?: string) {
  return fetch(`http://127.0.0.1:${relay.port}${path}`, {
    method,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe('the trash', () => {
  const harness = useRelayHarness();

  it('closes open editors with 4404, refuses new ones, and restore brings the content back', async () => {
    const relay = await harness.start();
    const writer = harness.connect(relay, 'tr-doc');
    await typeAndSave(writer, 'kept through the trash');
    const closed = nextClose(writer);
    const trashed = await api(relay, 'DELETE', '/api/docs/tr-doc');
    expect(trashed.status).toBe(200);
    expect(await closed).toEqual({ code: 4404, reason: 'This document was moved to the trash' });

    const late = harness.connect(relay, 'tr-doc');
    expect(await nextClose(late)).toMatchObject({ code: 4404 });
    expect(late.text.toString()).toBe('');
    late.destroy();
    writer.destroy();

    const list = (await (await api(relay, 'GET', '/api/docs')).json()) as { docs: unknown[] };
    expect(list.docs).toEqual([]);
    const trash = (await (await api(relay, 'GET', '/api/trash')).json()) as {
      docs: { name: string; deleteAfter: number; trashedAt: number }[];
    };
    expect(trash.docs.map((doc) => [doc.name, doc.deleteAfter - doc.trashedAt])).toEqual([
      ['tr-doc', 30 * DAY_MS],
    ]);

    expect((await api(relay, 'POST', '/api/docs/tr-doc/restore')).status).toBe(200);
    const reader = harness.connect(relay, 'tr-doc');
    await waitUntil(() => reader.text.toString() === 'kept through the trash', 'content is back');
    expect((await (await api(relay, 'GET', '/api/trash')).json()) as unknown).toEqual({ docs: [] });
  });

  it('deletes a trashed document and its versions for good, and nothing is written back', async () => {
    const store = new MemoryDocStore();
    const relay = await harness.start({ store }, { idleUnloadMs: 60_000 });
    const writer = harness.connect(relay, 'tr-gone');
    await typeAndSave(writer, 'soon gone');
    const named = await fetch(`http://127.0.0.1:${relay.port}/api/docs/tr-gone/versions`, {
      method: 'POST',
      body: JSON.stringify({ name: 'v1' }),
    });
    expect(named.status).toBe(201);
    // Not in the trash yet: deleting for good is refused.
    expect((await api(relay, 'DELETE', '/api/trash/tr-gone')).status).toBe(409);
    expect((await api(relay, 'DELETE', '/api/docs/tr-gone')).status).toBe(200);
    writer.destroy();
    // Still loaded (a minute of idle time): the delete must discard that copy.
    expect(relay.rooms.peek('tr-gone')).toBeDefined();
    expect((await api(relay, 'DELETE', '/api/trash/tr-gone')).status).toBe(200);
    expect(relay.rooms.peek('tr-gone')).toBeUndefined();
    expect(await store.info('tr-gone')).toBeNull();
    expect(await store.listCheckpoints('tr-gone')).toEqual([]);
  });

  it('keeps a tombstone: an offline copy is refused with 4410 until a restore starts it again', async () => {
    const now = Date.UTC(2026, 0, 1);
    const store = new MemoryDocStore();
    const relay = await harness.start(
      { store },
      { trashRetentionMs: 30 * DAY_MS, trashClock: () => now },
    );
    await typeAndSave(harness.connect(relay, 'tr-purged'), 'deleted soon');
    expect((await api(relay, 'DELETE', '/api/docs/tr-purged')).status).toBe(200);
    expect((await api(relay, 'DELETE', '/api/trash/tr-purged')).status).toBe(200);
    expect(await store.purgedAt('tr-purged')).toBe(now);

    // A device that kept its copy connects and would send it at once.
    const offline = harness.connect(relay, 'tr-purged');
    offline.text.insert(0, 'an offline copy');
    const refused = nextClose(offline);
    expect(await refused).toEqual({ code: 4410, reason: 'This document was deleted for good' });
    offline.destroy();
    expect(await store.info('tr-purged')).toBeNull();
    expect((await (await api(relay, 'GET', '/api/docs')).json()) as unknown).toEqual({ docs: [] });
    expect((await (await api(relay, 'GET', '/api/trash')).json()) as unknown).toEqual({ docs: [] });

    // A plain restore (the Trash view's) finds nothing; restoring from that device clears
    // the tombstone, and its copy then starts the document.
    expect((await api(relay, 'POST', '/api/docs/tr-purged/restore')).status).toBe(404);
    expect(await store.purgedAt('tr-purged')).toBe(now);
    const restore = await api(relay, 'POST', '/api/docs/tr-purged/restore?fromDevice=1');
    expect(restore.status).toBe(200);
    expect(await restore.json()).toEqual({ name: 'tr-purged', recreated: true });
    const restorer = harness.connect(relay, 'tr-purged');
    restorer.text.insert(0, 'from this device');
    await waitUntil(() => restorer.isSaved(), 'the copy is stored');
    expect(await store.purgedAt('tr-purged')).toBeNull();
    expect((await store.info('tr-purged'))?.trashedAt).toBeUndefined();
    // A name never used, or no longer a tombstone, is not found.
    expect((await api(relay, 'POST', '/api/docs/tr-never/restore?fromDevice=1')).status).toBe(404);
  });

  it('forgets a tombstone after the retention, with the sweep', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = new MemoryDocStore();
    const relay = await harness.start(
      { store },
      { trashRetentionMs: 30 * DAY_MS, trashClock: () => now },
    );
    await typeAndSave(harness.connect(relay, 'tr-stone'), 'x');
    expect((await api(relay, 'DELETE', '/api/docs/tr-stone')).status).toBe(200);
    expect((await api(relay, 'DELETE', '/api/trash/tr-stone')).status).toBe(200);
    now += 30 * DAY_MS - 1;
    await relay.trash.sweep();
    expect(await store.purgedAt('tr-stone')).toBe(Date.UTC(2026, 0, 1));
    now += 1;
    await relay.trash.sweep();
    expect(await store.purgedAt('tr-stone')).toBeNull();
    const fresh = harness.connect(relay, 'tr-stone');
    await waitUntil(() => fresh.provider.synced, 'a new document of that name opens');
    expect(fresh.text.toString()).toBe('');
  });

  it('sweeps away only documents trashed longer than the retention', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = new MemoryDocStore();
    const relay = await harness.start(
      { store },
      { trashRetentionMs: 30 * DAY_MS, trashClock: () => now },
    );
    for (const name of ['tr-old', 'tr-new', 'tr-live']) {
      await typeAndSave(harness.connect(relay, name), name);
    }
    expect((await api(relay, 'DELETE', '/api/docs/tr-old')).status).toBe(200);
    now += 20 * DAY_MS;
    expect((await api(relay, 'DELETE', '/api/docs/tr-new')).status).toBe(200);
    now += 10 * DAY_MS + 1;
    expect(await relay.trash.sweep()).toEqual(['tr-old']);
    expect(await store.info('tr-old')).toBeNull();
    expect((await store.info('tr-new'))?.trashedAt).toBeDefined();
    expect((await store.info('tr-live'))?.trashedAt).toBeUndefined();
  });

  it('tells the live list: deleted on trash, back on restore', async () => {
    const relay = await harness.start();
    await typeAndSave(harness.connect(relay, 'tr-live'), 'listed');
    const stream = await openSse(`http://127.0.0.1:${relay.port}/api/events`);
    const deletedIs = (value: boolean) => (m: { event: string; data: string }) =>
      m.event === 'doc' && (JSON.parse(m.data) as { deleted: boolean }).deleted === value;
    try {
      expect((await api(relay, 'DELETE', '/api/docs/tr-live')).status).toBe(200);
      await stream.waitFor(deletedIs(true));
      expect((await api(relay, 'POST', '/api/docs/tr-live/restore')).status).toBe(200);
      await stream.waitFor(deletedIs(false));
    } finally {
      stream.close();
    }
  });

  it('stores no update sent to a trashed document', async () => {
    const store = new MemoryDocStore();
    const relay = await harness.start({ store });
    const writer = harness.connect(relay, 'tr-frozen');
    await typeAndSave(writer, 'before');
    const before = (await store.info('tr-frozen'))?.bytes;
    const closed = nextClose(writer);
    expect((await api(relay, 'DELETE', '/api/docs/tr-frozen')).status).toBe(200);
    expect((await closed).code).toBe(4404);
    // A client with an edit of its own, sent the moment its socket opens: closed, not applied.
    const late = harness.connect(relay, 'tr-frozen');
    late.text.insert(0, 'after the trash ');
    const refused = nextClose(late);
    expect((await refused).code).toBe(4404);
    expect((await store.info('tr-frozen'))?.bytes).toBe(before);
    expect(relay.rooms.peek('tr-frozen')?.doc.getText('content').toString() ?? 'before').toBe(
      'before',
    );
  });

  it('needs write access: read-only tokens get 403, and see no trash', async () => {
    const key = secretKey('a-test-secret-that-is-long-enough-for-hs256');
    const relay = await harness.start({ store: new MemoryDocStore() }, { authKey: key });
    const write = await signToken({ userId: 'w', doc: 'tr-*', role: 'write', ttlSeconds: 60 }, key);
    const read = await signToken({ userId: 'r', doc: 'tr-*', role: 'read', ttlSeconds: 60 }, key);
    await typeAndSave(harness.connect(relay, 'tr-sec', { params: { token: write } }), 'secret');
    expect((await api(relay, 'DELETE', '/api/docs/tr-sec')).status).toBe(401);
    expect((await api(relay, 'DELETE', '/api/docs/tr-sec', read)).status).toBe(403);
    expect((await api(relay, 'DELETE', '/api/docs/tr-sec', write)).status).toBe(200);
    expect(await (await api(relay, 'GET', '/api/trash', read)).json()).toEqual({ docs: [] });
    expect((await api(relay, 'POST', '/api/docs/tr-sec/restore', read)).status).toBe(403);
    expect((await api(relay, 'DELETE', '/api/trash/tr-sec', read)).status).toBe(403);
    const listed = (await (await api(relay, 'GET', '/api/trash', write)).json()) as {
      docs: { name: string }[];
    };
    expect(listed.docs.map((doc) => doc.name)).toEqual(['tr-sec']);
  });
});
