/**
 * The conformance suite every DocStore passes. A store's test file is a few lines:
 *
 *   runDocStoreContract('LevelDocStore', async () => ({ store, cleanup }));
 *
 * A new backend is correct when this suite passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Author, DocStore, NewCheckpoint } from './doc-store';
import { StoreClosedError } from './doc-store';

export interface StoreFixture {
  readonly store: DocStore;
  readonly cleanup: () => Promise<void>;
}

/** Yjs updates that type `words` one after another into the `content` text of one doc. */
export function typingUpdates(words: readonly string[], clientID = 1): Uint8Array[] {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('content');
  for (const word of words) text.insert(text.length, word);
  return updates;
}

/** The `content` text of the document a stored (merged) update describes. */
export function textOf(update: Uint8Array | null): string {
  const doc = new Y.Doc();
  if (update) Y.applyUpdate(doc, update);
  return doc.getText('content').toString();
}

/** A checkpoint of a document whose text is `text`, taken at `createdAt`. */
export function checkpointOf(
  text: string,
  createdAt: number,
  extra: Partial<NewCheckpoint> = {},
): NewCheckpoint {
  const doc = new Y.Doc();
  doc.clientID = 1;
  doc.getText('content').insert(0, text);
  return {
    createdAt,
    reason: 'interval',
    authors: [{ id: 'ada', name: 'Ada' }],
    chars: text.length,
    state: Y.encodeStateAsUpdate(doc),
    ...extra,
  };
}

export function runDocStoreContract(label: string, open: () => Promise<StoreFixture>): void {
  describe(`DocStore contract: ${label}`, () => {
    let fixture: StoreFixture | undefined;
    const start = async (): Promise<DocStore> => {
      fixture = await open();
      return fixture.store;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('knows nothing of a document never written', async () => {
      const store = await start();
      expect(await store.load('never')).toBeNull();
      expect(await store.info('never')).toBeNull();
      expect(await store.compact('never')).toBeNull();
      expect(await store.delete('never')).toBe(false);
      expect(await store.list()).toEqual([]);
    });

    it('loads the merge of every appended update', async () => {
      const store = await start();
      const updates = typingUpdates(['Hello', ', ', 'world']);
      await store.append('doc', updates.slice(0, 1));
      await store.append('doc', updates.slice(1));
      expect(textOf(await store.load('doc'))).toBe('Hello, world');
      const info = await store.info('doc');
      expect(info?.updates).toBe(3);
      expect(info?.bytes).toBe(updates.reduce((sum, u) => sum + u.byteLength, 0));
    });

    it('applies concurrent appends to one document in call order, losing none', async () => {
      const store = await start();
      const updates = typingUpdates(Array.from({ length: 50 }, (_, i) => `${i};`));
      await Promise.all(updates.map((update) => store.append('busy', [update])));
      expect(textOf(await store.load('busy'))).toBe(
        Array.from({ length: 50 }, (_, i) => `${i};`).join(''),
      );
      expect((await store.info('busy'))?.updates).toBe(50);
    });

    it('keeps documents apart, even when one name is a prefix of another', async () => {
      const store = await start();
      await store.append('a', typingUpdates(['first'], 1));
      await store.append('a-b', typingUpdates(['second'], 2));
      await store.append('a.b', typingUpdates(['third'], 3));
      expect(textOf(await store.load('a'))).toBe('first');
      expect(textOf(await store.load('a-b'))).toBe('second');
      expect(await store.delete('a')).toBe(true);
      expect(await store.load('a')).toBeNull();
      expect(textOf(await store.load('a-b'))).toBe('second');
      expect((await store.list()).map((info) => info.name).sort()).toEqual(['a-b', 'a.b']);
    });

    it('compaction keeps the loaded document and shrinks the log to one update', async () => {
      const store = await start();
      await store.append('doc', typingUpdates(['one ', 'two ', 'three']));
      const info = await store.compact('doc');
      expect(info?.updates).toBe(1);
      expect(textOf(await store.load('doc'))).toBe('one two three');
      await store.append('doc', typingUpdates(['!'], 9));
      expect(textOf(await store.load('doc'))).toContain('one two three');
      expect((await store.info('doc'))?.updates).toBe(2);
    });

    it('compaction to a snapshot of the whole document replaces the log with it', async () => {
      const store = await start();
      const updates = typingUpdates(['one ', 'two ', 'three']);
      await store.append('doc', updates);
      const live = new Y.Doc();
      for (const update of updates) Y.applyUpdate(live, update);
      const info = await store.compact('doc', Y.encodeStateAsUpdate(live));
      expect(info).toMatchObject({ updates: 1, bytes: Y.encodeStateAsUpdate(live).byteLength });
      expect(textOf(await store.load('doc'))).toBe('one two three');
      expect(await store.compact('never', Y.encodeStateAsUpdate(live))).toBeNull();
    });

    it('keeps the last title given and the time of the last append', async () => {
      const store = await start();
      const before = Date.now();
      await store.append('doc', typingUpdates(['x']), { title: 'Draft' });
      await store.append('doc', typingUpdates(['y'], 2));
      const info = await store.info('doc');
      expect(info?.title).toBe('Draft');
      expect(info?.modified).toBeGreaterThanOrEqual(before);
      expect((await store.list())[0]?.title).toBe('Draft');
    });

    it('refuses names it cannot store without writing anything', async () => {
      const store = await start();
      await expect(store.append('bad\u0000name', typingUpdates(['x']))).rejects.toThrow(
        /invalid document name/,
      );
      await expect(store.append('', typingUpdates(['x']))).rejects.toThrow(/invalid/);
      expect(await store.list()).toEqual([]);
    });

    it('has no checkpoints or authors for a document never given any', async () => {
      const store = await start();
      expect(await store.listCheckpoints('never')).toEqual([]);
      expect(await store.loadCheckpoint('never', '1')).toBeNull();
      expect(await store.deleteCheckpoints('never', ['1'])).toBe(0);
      expect((await store.loadAuthors('never')).size).toBe(0);
    });

    it('keeps checkpoints with every field, lists them newest first without their states', async () => {
      const store = await start();
      const first = await store.addCheckpoint('doc', checkpointOf('alpha', 1000));
      const named = await store.addCheckpoint(
        'doc',
        checkpointOf('alpha beta', 2000, { reason: 'named', name: 'v1', title: 'Draft' }),
      );
      const restore = await store.addCheckpoint(
        'doc',
        checkpointOf('alpha', 3000, { reason: 'restore', restoredFrom: first.id, authors: [] }),
      );
      expect(new Set([first.id, named.id, restore.id]).size).toBe(3);
      expect(named).toEqual({
        id: named.id,
        createdAt: 2000,
        reason: 'named',
        name: 'v1',
        title: 'Draft',
        authors: [{ id: 'ada', name: 'Ada' }],
        chars: 10,
        bytes: checkpointOf('alpha beta', 2000).state.byteLength,
      });
      const listed = await store.listCheckpoints('doc');
      expect(listed.map((info) => info.id)).toEqual([restore.id, named.id, first.id]);
      expect(listed[1]).toEqual(named);
      for (const info of listed) expect(info).not.toHaveProperty('state');
      const loaded = await store.loadCheckpoint('doc', named.id);
      expect(loaded).toMatchObject(named);
      expect(textOf(loaded?.state ?? null)).toBe('alpha beta');
      expect(await store.loadCheckpoint('doc', restore.id)).toMatchObject({
        restoredFrom: first.id,
      });
    });

    it('lists checkpoints of the same moment in the order they were added, latest first', async () => {
      const store = await start();
      const ids: string[] = [];
      for (let i = 0; i < 12; i++)
        ids.push((await store.addCheckpoint('doc', checkpointOf(`${i}`, 5))).id);
      expect((await store.listCheckpoints('doc')).map((info) => info.id)).toEqual(ids.reverse());
    });

    it('deletes only the checkpoints asked for, and never reuses an id', async () => {
      const store = await start();
      const a = await store.addCheckpoint('doc', checkpointOf('a', 1));
      const b = await store.addCheckpoint('doc', checkpointOf('b', 2));
      const c = await store.addCheckpoint('doc', checkpointOf('c', 3));
      expect(await store.deleteCheckpoints('doc', [c.id, a.id, 'no-such-id', '999'])).toBe(2);
      expect((await store.listCheckpoints('doc')).map((info) => info.id)).toEqual([b.id]);
      expect(await store.loadCheckpoint('doc', c.id)).toBeNull();
      const d = await store.addCheckpoint('doc', checkpointOf('d', 4));
      expect([a.id, b.id, c.id]).not.toContain(d.id);
      expect(await store.deleteCheckpoints('doc', [c.id])).toBe(0);
    });

    it('stores a checkpoint only when the newest one stored does not cover it', async () => {
      const store = await start();
      const seen: (string | null)[] = [];
      const sameDigest = (digest: string) => (newest: { contentDigest?: string } | null) => {
        seen.push(newest?.contentDigest ?? null);
        return newest?.contentDigest === digest;
      };
      const first = await store.addCheckpointUnless(
        'doc',
        checkpointOf('a', 1, { contentDigest: 'A' }),
        sameDigest('A'),
      );
      expect(first).toMatchObject({ contentDigest: 'A', createdAt: 1 });
      await store.addCheckpoint('doc', checkpointOf('b', 3, { contentDigest: 'B' }));
      // Offered again: the newest (by time, not by when it was added) decides.
      await store.addCheckpoint('doc', checkpointOf('a', 2, { contentDigest: 'A' }));
      expect(
        await store.addCheckpointUnless(
          'doc',
          checkpointOf('b', 4, { contentDigest: 'B' }),
          sameDigest('B'),
        ),
      ).toBeNull();
      const stored = await store.addCheckpointUnless(
        'doc',
        checkpointOf('a', 5, { contentDigest: 'A' }),
        sameDigest('A'),
      );
      expect(seen).toEqual([null, 'B', 'B']);
      const listed = await store.listCheckpoints('doc');
      expect(listed.map((info) => info.createdAt)).toEqual([5, 3, 2, 1]);
      expect(listed[0]).toEqual(stored);
    });

    it('decides checkpoints offered at once one after another', async () => {
      const store = await start();
      const notDigest = (digest: string) => (newest: { contentDigest?: string } | null) =>
        newest?.contentDigest === digest;
      const offers = Array.from({ length: 6 }, (_, i) =>
        store.addCheckpointUnless(
          'doc',
          checkpointOf('same', 10 + i, { contentDigest: 'S' }),
          notDigest('S'),
        ),
      );
      const results = await Promise.all(offers);
      expect(results.filter((result) => result !== null)).toHaveLength(1);
      expect(await store.listCheckpoints('doc')).toHaveLength(1);
    });

    it('answers unknown or malformed checkpoint ids with null', async () => {
      const store = await start();
      await store.addCheckpoint('doc', checkpointOf('a', 1));
      for (const id of ['', '0', '-1', 'abc', '1.5', '../1', '99999999999999999999']) {
        expect(await store.loadCheckpoint('doc', id)).toBeNull();
      }
    });

    it("keeps each document's checkpoints and authors apart, even for prefix names", async () => {
      const store = await start();
      await store.addCheckpoint('a', checkpointOf('first', 1));
      await store.addCheckpoint('a-b', checkpointOf('second', 1));
      await store.saveAuthors('a', new Map([[7, { id: 'ada', name: 'Ada' }]]));
      await store.saveAuthors('a-b', new Map([[7, { id: 'bob', name: 'Bob' }]]));
      expect(await store.listCheckpoints('a')).toHaveLength(1);
      expect((await store.loadAuthors('a-b')).get(7)).toEqual({ id: 'bob', name: 'Bob' });
    });

    it('deleting a document removes its checkpoints and authors too, and no one else’s', async () => {
      const store = await start();
      await store.append('doc', typingUpdates(['x']));
      await store.addCheckpoint('doc', checkpointOf('x', 1));
      await store.saveAuthors('doc', new Map([[1, { id: 'ada', name: 'Ada' }]]));
      await store.addCheckpoint('doc-2', checkpointOf('y', 1));
      await store.saveAuthors('doc-2', new Map([[1, { id: 'bob', name: 'Bob' }]]));
      expect(await store.delete('doc')).toBe(true);
      expect(await store.listCheckpoints('doc')).toEqual([]);
      expect((await store.loadAuthors('doc')).size).toBe(0);
      expect(await store.listCheckpoints('doc-2')).toHaveLength(1);
      expect((await store.loadAuthors('doc-2')).size).toBe(1);
      // A document with history but no log is still something to delete.
      expect(await store.delete('doc-2')).toBe(true);
      expect(await store.listCheckpoints('doc-2')).toEqual([]);
      expect(await store.delete('doc-2')).toBe(false);
    });

    it('moves a document to the trash and back, keeping its log, history and authors', async () => {
      const store = await start();
      expect(await store.setTrashed('never', 1000)).toBe(false);
      await store.append('doc', typingUpdates(['Hello']), { title: 'Notes' });
      await store.addCheckpoint('doc', checkpointOf('Hello', 1));
      await store.saveAuthors('doc', new Map([[1, { id: 'ada', name: 'Ada' }]]));
      await store.append('other', typingUpdates(['x'], 2));

      expect(await store.setTrashed('doc', 1234)).toBe(true);
      expect((await store.info('doc'))?.trashedAt).toBe(1234);
      const listed = await store.list();
      expect(listed.find((info) => info.name === 'doc')?.trashedAt).toBe(1234);
      expect(listed.find((info) => info.name === 'other')?.trashedAt).toBeUndefined();
      // Still all there, and a late write (a flush after the trash) keeps it in the trash.
      expect(textOf(await store.load('doc'))).toBe('Hello');
      await store.append('doc', typingUpdates(['!'], 9));
      expect((await store.info('doc'))?.trashedAt).toBe(1234);

      expect(await store.setTrashed('doc', null)).toBe(true);
      const restored = await store.info('doc');
      expect(restored?.trashedAt).toBeUndefined();
      expect(restored?.title).toBe('Notes');
      expect(textOf(await store.load('doc'))).toContain('Hello');
      expect(await store.listCheckpoints('doc')).toHaveLength(1);
      expect((await store.loadAuthors('doc')).size).toBe(1);
    });

    it('forgets the trash state with the document', async () => {
      const store = await start();
      await store.append('doc', typingUpdates(['x']));
      await store.setTrashed('doc', 5);
      expect(await store.delete('doc')).toBe(true);
      await store.append('doc', typingUpdates(['y']));
      expect((await store.info('doc'))?.trashedAt).toBeUndefined();
    });

    it('keeps tombstones of documents deleted for good, apart from the documents', async () => {
      const store = await start();
      // Optional in the interface (a wrapper may lack them); every store here keeps them.
      expect(
        ['setPurged', 'purgedAt', 'forgetPurgedBefore'].filter((key) => !(key in store)),
      ).toEqual([]);
      const purged = store as Required<
        Pick<DocStore, 'setPurged' | 'purgedAt' | 'forgetPurgedBefore'>
      >;
      expect(await purged.purgedAt('gone')).toBeNull();
      await store.append('gone', typingUpdates(['x']));
      await store.setTrashed('gone', 10);
      await purged.setPurged('gone', 1000);
      expect(await store.delete('gone')).toBe(true);
      // Deleting the document leaves its tombstone; the tombstone lists no document.
      expect(await purged.purgedAt('gone')).toBe(1000);
      expect(await store.info('gone')).toBeNull();
      expect((await store.list()).map((info) => info.name)).not.toContain('gone');
      await purged.setPurged('later', 3000);
      await purged.setPurged('later', 2000);
      expect(await purged.purgedAt('later')).toBe(2000);
      await purged.setPurged('cleared', 500);
      await purged.setPurged('cleared', null);
      expect(await purged.purgedAt('cleared')).toBeNull();

      expect(await purged.forgetPurgedBefore(1000)).toBe(1);
      expect(await purged.purgedAt('gone')).toBeNull();
      expect(await purged.purgedAt('later')).toBe(2000);
      expect(await purged.forgetPurgedBefore(999)).toBe(0);
    });

    it('adds to and replaces entries of the authorship table', async () => {
      const store = await start();
      const ada: Author = { id: 'ada', name: 'Ada', color: '#e5484d' };
      await store.saveAuthors(
        'doc',
        new Map([
          [1, ada],
          [0xffffffff, { id: 'bob', name: 'Bob' }],
        ]),
      );
      await store.saveAuthors(
        'doc',
        new Map([
          [1, { id: 'ada', name: 'Ada L.' }],
          [2, ada],
        ]),
      );
      const table = await store.loadAuthors('doc');
      expect([...table.entries()].sort(([a], [b]) => a - b)).toEqual([
        [1, { id: 'ada', name: 'Ada L.' }],
        [2, ada],
        [0xffffffff, { id: 'bob', name: 'Bob' }],
      ]);
    });

    it('refuses checkpoints and authors under names it cannot store', async () => {
      const store = await start();
      await expect(store.addCheckpoint('bad\u0000name', checkpointOf('x', 1))).rejects.toThrow(
        /invalid document name/,
      );
      await expect(store.saveAuthors('', new Map([[1, { id: 'a', name: 'A' }]]))).rejects.toThrow(
        /invalid/,
      );
    });

    it('rejects calls after close', async () => {
      const store = await start();
      await store.close();
      await expect(store.load('doc')).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.append('doc', typingUpdates(['x']))).rejects.toBeInstanceOf(
        StoreClosedError,
      );
      await expect(store.listCheckpoints('doc')).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.addCheckpoint('doc', checkpointOf('x', 1))).rejects.toBeInstanceOf(
        StoreClosedError,
      );
    });
  });
}
