/**
 * The conformance suite every DocStore passes. A store's test file is a few lines:
 *
 *   runDocStoreContract('LevelDocStore', async () => ({ store, cleanup }));
 *
 * A new backend is correct when this suite passes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from './doc-store';
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

    it('rejects calls after close', async () => {
      const store = await start();
      await store.close();
      await expect(store.load('doc')).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.append('doc', typingUpdates(['x']))).rejects.toBeInstanceOf(
        StoreClosedError,
      );
    });
  });
}
