import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresProcess } from './postgres-process';
import { processGone, processTree } from './server-process';
import { waitUntil } from './wait';

/** The state letter of a process (R, S, T for stopped…), from /proc. */
/** The process state letter from /proc, or 'gone' once the process has been reaped. */
function stateOf(pid: number): string {
  if (!existsSync(`/proc/${pid}/stat`)) return 'gone';
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
}

describe('startPostgres', () => {
  let pg: PostgresProcess;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg.remove();
  });

  it('serves SQL on loopback with fsync on and no Unix socket', async () => {
    expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
    expect(await pg.psql('SELECT 1 + 1')).toBe('2\n');
    expect(await pg.psql('SHOW fsync')).toBe('on\n');
    expect(await pg.psql('SHOW unix_socket_directories')).toBe('\n');
    expect(await pg.psql('SHOW listen_addresses')).toBe('127.0.0.1\n');
  });

  it('keeps every committed row through SIGKILL of every server process and a restart', async () => {
    const url = await pg.createDatabase('crash_survivor');
    expect(url.endsWith(`:${pg.port}/crash_survivor`)).toBe(true);
    await pg.psql(
      'CREATE TABLE t (n int); INSERT INTO t SELECT generate_series(1, 100)',
      'crash_survivor',
    );
    const tree = processTree(pg.postmasterPid());
    expect(tree.length).toBeGreaterThan(1);
    await pg.kill();
    expect(tree.every(processGone)).toBe(true);
    await expect(pg.psql('SELECT 1')).rejects.toThrow(/failed/);
    await pg.restart();
    expect(await pg.psql('SELECT count(*) FROM t', 'crash_survivor')).toBe('100\n');
    expect(pg.output()).toMatch(/not properly shut down|automatic recovery/);
  });

  it('pause stops the postmaster and every backend until resume', async () => {
    pg.pause();
    const tree = processTree(pg.postmasterPid());
    try {
      // SIGSTOP is delivered asynchronously: a busy process shows 'T' a moment later.
      await waitUntil(
        // A backend that was exiting as the postmaster stopped stays a zombie ('Z', or gone
        // once reaped) until it is resumed: it runs nothing either.
        () =>
          tree.map(stateOf).every((state) => state === 'T' || state === 'Z' || state === 'gone'),
        'every process of the tree stopped',
        5_000,
      );
      let answered = false;
      const query = pg.psql('SELECT 42').then((out) => {
        answered = true;
        return out;
      });
      // A negative observation window: a paused server answers nothing within it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      pg.resume();
      expect(await query).toBe('42\n');
    } finally {
      pg.resume();
    }
    expect(tree.map(stateOf).some((state) => state === 'T')).toBe(false);
  });

  it('stops with a fast shutdown and restarts on the same port and data', async () => {
    const port = pg.port;
    const exit = await pg.stop();
    expect(exit.code).toBe(0);
    await pg.restart();
    expect(pg.port).toBe(port);
    expect(await pg.psql('SELECT count(*) FROM t', 'crash_survivor')).toBe('100\n');
  });

  it('refuses database names that are not plain identifiers', async () => {
    await expect(pg.createDatabase('x; DROP DATABASE postgres')).rejects.toThrow(/name/);
  });
});

describe('startPostgres cleanup', () => {
  it('deletes its directory on remove', async () => {
    const pg = await startPostgres({ fsync: false });
    expect(await pg.psql('SHOW fsync')).toBe('off\n');
    const postmaster = pg.postmasterPid();
    await pg.remove();
    expect(existsSync(pg.dataDir)).toBe(false);
    expect(processGone(postmaster)).toBe(true);
  });
});
