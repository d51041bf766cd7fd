/**
 * The relay as a real process: SIGTERM flushes everything it received, then exits 0; when
 * storage cannot take the last edits before the deadline, it says so and exits 1.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  connectYjsClient,
  openRawSocket,
  startRelayProcess,
  tempDir,
  waitUntil,
  type RelayProcess,
  type TempDir,
  type YjsClient,
} from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';

describe('graceful shutdown', () => {
  const clients: YjsClient[] = [];
  const processes: RelayProcess[] = [];
  let data: TempDir | undefined;
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const relay of processes.splice(0)) await relay.stop('SIGKILL');
    await data?.remove();
  });

  async function start(port?: number, env?: Record<string, string>): Promise<RelayProcess> {
    data ??= await tempDir('weft-crash-');
    const relay = await startRelayProcess({
      dataDir: data.path,
      ...(port === undefined ? {} : { port }),
      ...(env === undefined ? {} : { env }),
    });
    processes.push(relay);
    return relay;
  }

  async function readiness(relay: RelayProcess): Promise<number> {
    return (await fetch(`${relay.url}/readyz`)).status;
  }

  async function readFromDisk(relay: RelayProcess, doc: string): Promise<string> {
    const reader = connectYjsClient(relay.url, doc, { savedAcks: false });
    clients.push(reader);
    await waitUntil(() => reader.provider.synced, 'fresh reader synced');
    return reader.text.toString();
  }

  it('closes sockets with 1012, flushes everything it received and exits 0 on SIGTERM', async () => {
    const relay = await start();
    const writer = connectYjsClient(relay.url, 'graceful', { savedAcks: false });
    const reader = connectYjsClient(relay.url, 'graceful', { savedAcks: false });
    clients.push(writer, reader);
    await waitUntil(() => writer.provider.synced && reader.provider.synced, 'synced');
    for (let i = 0; i < 200; i++) writer.text.insert(writer.text.length, `${i},`);
    const expected = writer.text.toString();
    await waitUntil(() => reader.text.toString() === expected, 'relay has every edit');
    writer.destroy();
    reader.destroy();
    const listener = await openRawSocket(`${relay.url}/graceful`);
    const exit = await relay.stop('SIGTERM');
    expect(exit.code).toBe(0);
    expect((await listener.closed).code).toBe(1012);

    const restarted = await start();
    expect(await readFromDisk(restarted, 'graceful')).toBe(expected);
  });

  it('exits 1 and logs how many documents hold unsaved edits when storage fails past the deadline', async () => {
    const relay = await start(undefined, { WEFT_SHUTDOWN_TIMEOUT_MS: '500' });
    const writer = connectYjsClient(relay.url, 'doomed');
    clients.push(writer);
    await waitUntil(() => writer.provider.synced, 'writer synced');
    writer.text.insert(0, 'stored');
    await waitUntil(() => writer.isSaved(), 'first edit stored');

    // No file of the relay may grow from now on, so every LevelDB write fails (EFBIG; Node
    // ignores SIGXFSZ), as on a full disk.
    await promisify(execFile)('prlimit', [`--pid=${relay.child.pid}`, '--fsize=1']);
    writer.text.insert(6, ', but not this');
    const deadline = Date.now() + 10_000;
    while ((await readiness(relay)) === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await readiness(relay)).toBe(503);

    const exit = await relay.stop('SIGTERM');
    expect(exit.code).toBe(1);
    expect(relay.output()).toMatch(/1 document\(s\) holding unsaved edits/);
  });
});
