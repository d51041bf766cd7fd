import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDocStoreContract, textOf, typingUpdates } from './contract';
import { LevelDocStore } from './leveldb-store';

async function tempDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'weft-storage-'));
}

runDocStoreContract('LevelDocStore', async () => {
  const directory = await tempDirectory();
  const store = await LevelDocStore.open({ directory });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

describe('LevelDocStore on disk', () => {
  it('reloads every appended update after the store is reopened', async () => {
    const directory = await tempDirectory();
    try {
      const first = await LevelDocStore.open({ directory, fsync: true });
      await first.append('doc', typingUpdates(['persisted ', 'text']), { title: 'T' });
      await first.close();
      const second = await LevelDocStore.open({ directory });
      expect(textOf(await second.load('doc'))).toBe('persisted text');
      expect((await second.list()).map((info) => [info.name, info.title])).toEqual([['doc', 'T']]);
      await second.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses to open a database another store holds open', async () => {
    const directory = await tempDirectory();
    const first = await LevelDocStore.open({ directory });
    try {
      await expect(LevelDocStore.open({ directory })).rejects.toThrow();
    } finally {
      await first.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
