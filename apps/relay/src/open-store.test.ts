/**
 * The relay on PostgreSQL: `WEFT_DATABASE_URL` selects the PostgreSQL store, and a relay
 * process killed with SIGKILL and started again (even on another data directory) serves every
 * edit it acknowledged, from the database alone.
 */
import { DocumentSession, metaMap, type SaveState } from '@weft/client';
import {
  connectYjsClient,
  startPostgres,
  startRelayProcess,
  tempDir,
  waitUntil,
  type PostgresProcess,
  type RelayProcess,
} from '@weft/testkit';
import { readdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ConfigError, loadConfig } from './config';
import { openStore, StoreOpenError } from './open-store';

let pg: PostgresProcess;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg.remove();
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relayOn(databaseUrl: string, port?: number): Promise<RelayProcess> {
  const data = await tempDir('weft-pg-relay-');
  const relay = await startRelayProcess({
    dataDir: data.path,
    ...(port === undefined ? {} : { port }),
    env: { WEFT_DATABASE_URL: databaseUrl },
  });
  cleanups.push(
    () => data.remove(),
    () => relay.stop('SIGKILL'),
  );
  // Nothing may go to LevelDB: the data directory is not even created.
  expect(await readdir(data.path)).toEqual([]);
  return relay;
}

function openSession(relayUrl: string, docName: string): DocumentSession {
  const session = new DocumentSession({
    relayUrl,
    docName,
    token: null,
    user: { name: 'Ada', color: '#6e56cf' },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  cleanups.push(() => {
    session.destroy();
    return Promise.resolve();
  });
  return session;
}

const stateOf = (session: DocumentSession): SaveState => session.saveStatus.getSnapshot().state;

describe('the relay on PostgreSQL', () => {
  it('serves every acknowledged edit after a SIGKILL, from the database alone', async () => {
    const url = await pg.createDatabase('relay_kill');
    let relay = await relayOn(url);
    const session = openSession(relay.url, 'killed');
    await session.ready;
    for (const word of ['one ', 'two ', 'three ', 'four']) {
      session.text.insert(session.text.length, word);
      await waitUntil(() => stateOf(session) === 'saved', `"${word}" saved`);
    }
    session.text.delete(4, 4); // 'two '
    metaMap(session.doc).set('title', 'Kept in PostgreSQL');
    await waitUntil(() => stateOf(session) === 'saved', 'deletion and title saved');

    const { port } = relay;
    await relay.stop('SIGKILL');
    session.connection.stop();
    // A fresh data directory: only the database can hold what the first relay stored.
    relay = await relayOn(url, port);
    const fresh = connectYjsClient(relay.url, 'killed', { savedAcks: false });
    cleanups.push(() => {
      fresh.destroy();
      return Promise.resolve();
    });
    await waitUntil(() => fresh.provider.synced, 'fresh reader synced');
    expect(fresh.text.toString()).toBe('one three four');
    expect(fresh.doc.getMap('meta').get('title')).toBe('Kept in PostgreSQL');
    expect(
      await pg.psql("SELECT title FROM weft_documents WHERE name = 'killed'", 'relay_kill'),
    ).toBe('Kept in PostgreSQL\n');
  });

  it('exits 1 naming the unreachable server, never its password', async () => {
    const data = await tempDir('weft-pg-relay-');
    cleanups.push(() => data.remove());
    const failed = await startRelayProcess({
      dataDir: data.path,
      env: { WEFT_DATABASE_URL: 'postgres://weft:hunter2@127.0.0.1:1/weft' },
    }).then(
      () => null,
      (error: unknown) => String(error),
    );
    expect(failed).toMatch(/code 1/);
    expect(failed).toMatch(
      /cannot open the PostgreSQL store at postgres:\/\/weft:\*\*\*@127\.0\.0\.1:1\/weft/,
    );
    expect(failed).not.toContain('hunter2');
  });
});

describe('choosing the store', () => {
  it('refuses a database URL that is not PostgreSQL at start, without the password', () => {
    const attempt = (value: string) => () =>
      loadConfig([], { WEFT_DATABASE_URL: value, PORT: '0' });
    expect(attempt('mysql://root:pw@db/weft')).toThrow(ConfigError);
    expect(attempt('mysql://root:pw@db/weft')).toThrow(/WEFT_DATABASE_URL must be a postgres:\/\//);
    expect(attempt('mysql://root:pw@db/weft')).not.toThrow(/pw/);
    expect(() => loadConfig(['--database-url', 'postgres:///nohost'], {})).toThrow(
      /--database-url must be/,
    );
    const config = loadConfig(['--database-url', 'postgresql://u@db:5432/weft'], {});
    expect(config !== 'help' && config.databaseUrl).toBe('postgresql://u@db:5432/weft');
  });

  it('opens LevelDB without a database URL, and PostgreSQL with one', async () => {
    const data = await tempDir('weft-open-store-');
    cleanups.push(() => data.remove());
    const level = await openStore({ databaseUrl: null, dataDir: data.path, fsync: false });
    cleanups.push(() => level.store.close());
    expect(level.where).toBe(`LevelDB in ${data.path}`);
    const url = await pg.createDatabase('open_store');
    const postgres = await openStore({ databaseUrl: url, dataDir: data.path, fsync: false });
    cleanups.push(() => postgres.store.close());
    expect(postgres.where).toBe(url);
    await postgres.store.append('doc', []);
    expect(await pg.psql('SELECT name FROM weft_documents', 'open_store')).toBe('doc\n');
    await expect(
      openStore({ databaseUrl: 'postgres://127.0.0.1:1/x', dataDir: data.path, fsync: false }),
    ).rejects.toBeInstanceOf(StoreOpenError);
  });
});
