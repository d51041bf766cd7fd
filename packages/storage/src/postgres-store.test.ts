import { startPostgres, type PostgresProcess } from '@weft/testkit/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkpointOf, runDocStoreContract, textOf, typingUpdates } from './contract';
import postgresClient from 'pg';
import { describeDatabaseUrl } from './postgres-pool';
import { COMPACTION_LOCK_CLASS, PostgresDocStore } from './postgres-store';
import { MIGRATIONS } from './postgres-schema';

// One server for the file; every test gets a database of its own.
let pg: PostgresProcess;
let databases = 0;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg.remove();
});
const freshDatabase = (): Promise<string> => pg.createDatabase(`store_${++databases}`);

runDocStoreContract('PostgresDocStore', async () => {
  const store = await PostgresDocStore.open({ url: await freshDatabase() });
  return { store, cleanup: () => store.close() };
});

/** Each writer's updates, one word per update, as separate Yjs clients of one document. */
function writerUpdates(clientID: number, words: number): Uint8Array[] {
  return typingUpdates(
    Array.from({ length: words }, (_, i) => `<${clientID}:${i}>`),
    clientID,
  );
}

function tokensIn(update: Uint8Array | null): Set<string> {
  return new Set(textOf(update).match(/<\d+:\d+>/g) ?? []);
}

describe('PostgresDocStore in cluster mode (several stores on one database)', () => {
  it('loses no update when two relays append to one document while one compacts', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([
      PostgresDocStore.open({ url, poolSize: 4 }),
      PostgresDocStore.open({ url, poolSize: 4 }),
    ]);
    try {
      const fromA = writerUpdates(1, 120);
      const fromB = writerUpdates(2, 120);
      // Relay A's live copy of the document holds only A's own updates: B's reach it late.
      const liveA = new Y.Doc();
      const appendAll = async (
        store: PostgresDocStore,
        updates: Uint8Array[],
        live: Y.Doc | null,
      ): Promise<void> => {
        for (let i = 0; i < updates.length; i += 3) {
          const batch = updates.slice(i, i + 3);
          await store.append('shared', batch);
          for (const update of batch) if (live) Y.applyUpdate(live, update);
        }
      };
      const compactions = (async () => {
        for (let round = 0; round < 15; round++) {
          await a.compact('shared', Y.encodeStateAsUpdate(liveA));
          await a.compact('shared');
        }
      })();
      await Promise.all([appendAll(a, fromA, liveA), appendAll(b, fromB, null), compactions]);
      await a.compact('shared', Y.encodeStateAsUpdate(liveA));

      const expected = new Set([...tokensIn(mergeAll(fromA)), ...tokensIn(mergeAll(fromB))]);
      expect(expected.size).toBe(240);
      for (const store of [a, b]) {
        expect(tokensIn(await store.load('shared'))).toEqual(expected);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('stores one checkpoint when two relays offer the same content at once', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([
      PostgresDocStore.open({ url, poolSize: 2 }),
      PostgresDocStore.open({ url, poolSize: 2 }),
    ]);
    try {
      // Each round both relays offer a checkpoint of the content they share, as two relays
      // holding one document do when its interval passes on both.
      for (let round = 0; round < 8; round++) {
        const digest = `content-${round}`;
        const covered = (newest: { contentDigest?: string } | null): boolean =>
          newest?.contentDigest === digest;
        await Promise.all(
          [a, b].map((store, index) =>
            store.addCheckpointUnless(
              'shared',
              checkpointOf(digest, 100 * round + index, { contentDigest: digest }),
              covered,
            ),
          ),
        );
      }
      const listed = await b.listCheckpoints('shared');
      expect(listed.map((info) => info.contentDigest)).toEqual(
        Array.from({ length: 8 }, (_, round) => `content-${7 - round}`),
      );
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('numbers every update without gaps, in commit order, across stores', async () => {
    const url = await freshDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => PostgresDocStore.open({ url })));
    try {
      const seqs = await Promise.all(
        stores.map(async (store, index) => {
          const taken: number[] = [];
          for (const update of writerUpdates(index + 1, 30)) {
            taken.push((await store.append('numbered', [update, update])).seq);
          }
          return taken;
        }),
      );
      // Each append of two updates ends at an odd number: 1, 3, 5, … 179, each taken once.
      const all = seqs.flat().sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: 90 }, (_, i) => 2 * i + 1));
      const rows = (await stores[0]?.updatesAfter('numbered', -1)) ?? [];
      expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 180 }, (_, i) => i));
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('hands a relay that applied up to n exactly what it may lack, compaction or not', async () => {
    const store = await PostgresDocStore.open({ url: await freshDatabase() });
    try {
      const updates = writerUpdates(1, 6);
      await store.append('repair', updates.slice(0, 3));
      const seen = await store.loadSequenced('repair');
      expect(seen?.seq).toBe(2);
      await store.append('repair', updates.slice(3, 5));
      await store.compact('repair');
      await store.append('repair', updates.slice(5));
      const missing = await store.updatesAfter('repair', seen?.seq ?? -1);
      // The merged row sits at number 4 and carries 3 and 4; number 5 follows.
      expect(missing.map((row) => row.seq)).toEqual([4, 5]);
      const repaired = new Y.Doc();
      Y.applyUpdate(repaired, seen?.update ?? new Uint8Array());
      for (const row of missing) Y.applyUpdate(repaired, row.update);
      expect(repaired.getText('content').toString()).toBe(textOf(mergeAll(updates)));
      expect(await store.updatesAfter('never', -1)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('PostgresDocStore: one compaction at a time', () => {
  it('skips a compaction while another relay holds the document, and changes nothing', async () => {
    const url = await freshDatabase();
    const a = await PostgresDocStore.open({ url });
    try {
      const updates = writerUpdates(3, 6);
      await a.append('busy', updates);
      // Another relay in the middle of its compaction of 'busy' holds this lock.
      const other = new postgresClient.Client({ connectionString: url });
      await other.connect();
      const lock = [COMPACTION_LOCK_CLASS, 'busy'];
      await other.query('SELECT pg_advisory_lock($1, hashtext($2))', lock);
      expect((await a.compact('busy'))?.updates).toBe(6);
      expect((await a.updatesAfter('busy', -1)).length).toBe(6);
      await other.query('SELECT pg_advisory_unlock($1, hashtext($2))', lock);
      await other.end();
      expect((await a.compact('busy'))?.updates).toBe(1);
      expect(tokensIn(await a.load('busy'))).toEqual(tokensIn(mergeAll(updates)));
    } finally {
      await a.close();
    }
  });

  it('answers the newest sequence number of many documents in one call', async () => {
    const store = await PostgresDocStore.open({ url: await freshDatabase() });
    try {
      await store.append('one', writerUpdates(1, 3));
      await store.append('two', writerUpdates(2, 1));
      const seqs = await store.latestSeqs(['one', 'two', 'never']);
      expect([...seqs].sort()).toEqual([
        ['one', 2],
        ['two', 0],
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('PostgresDocStore durability and schema', () => {
  // Crash recovery syncs every file of the ~30 databases the suite made, then checkpoints:
  // seconds on a loaded machine, past vitest's 5 s default.
  it(
    'keeps every acknowledged append through a SIGKILL of PostgreSQL',
    { timeout: 30_000 },
    async () => {
      const url = await freshDatabase();
      const store = await PostgresDocStore.open({ url });
      const updates = writerUpdates(7, 40);
      try {
        for (const update of updates) await store.append('durable', [update]);
        await pg.kill();
        await expect(store.info('durable')).rejects.toThrow();
        await pg.restart();
        expect(tokensIn(await store.load('durable'))).toEqual(tokensIn(mergeAll(updates)));
      } finally {
        await store.close();
      }
    },
  );

  it('does not resolve an append while PostgreSQL is frozen, and does once it runs again', async () => {
    const store = await PostgresDocStore.open({ url: await freshDatabase() });
    const [first, second] = writerUpdates(8, 2);
    try {
      await store.append('frozen', [first ?? new Uint8Array()]);
      pg.pause();
      let resolved = false;
      const append = store.append('frozen', [second ?? new Uint8Array()]).then((info) => {
        resolved = true;
        return info;
      });
      // A negative observation window: no answer can come from a stopped server; a short look
      // is enough to catch one.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(resolved).toBe(false);
      pg.resume();
      expect((await append).updates).toBe(2);
    } finally {
      pg.resume();
      await store.close();
    }
  });

  it('creates the schema once, records its version, and refuses a newer database', async () => {
    const url = await freshDatabase();
    const first = await PostgresDocStore.open({ url });
    const second = await PostgresDocStore.open({ url });
    await Promise.all([first.close(), second.close()]);
    const database = new URL(url).pathname.slice(1);
    const newest = Math.max(...MIGRATIONS.map((step) => step.version));
    // Every step recorded once, each in order, whether two relays started at once or not.
    const recorded = await pg.psql('SELECT version FROM weft_schema_version ORDER BY 1', database);
    expect(recorded).toBe(MIGRATIONS.map((step) => `${step.version}\n`).join(''));
    expect(newest).toBe(MIGRATIONS.length);
    await pg.psql(
      `INSERT INTO weft_schema_version (version, description) VALUES (${newest + 1}, 'future')`,
      database,
    );
    await expect(PostgresDocStore.open({ url })).rejects.toThrow(/newer than this relay knows/);
  });

  it('says clearly when the URL is wrong or the server is unreachable, never the password', async () => {
    await expect(PostgresDocStore.open({ url: 'mysql://x@localhost/db' })).rejects.toThrow(
      /must look like postgres:\/\//,
    );
    await expect(PostgresDocStore.open({ url: 'not a url' })).rejects.toThrow(/postgres:\/\//);
    const closedPort = `postgres://weft:secret@127.0.0.1:1/nowhere`;
    const error = await PostgresDocStore.open({ url: closedPort, connectTimeoutMs: 2000 }).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(String(error)).toMatch(/cannot open the PostgreSQL store at postgres:\/\/weft:\*\*\*@/);
    expect(String(error)).not.toContain('secret');
    expect(describeDatabaseUrl('postgresql://u:pw@db:5432/weft')).toBe(
      'postgresql://u:***@db:5432/weft',
    );
  });
});

function mergeAll(updates: readonly Uint8Array[]): Uint8Array {
  return Y.mergeUpdates([...updates]);
}
