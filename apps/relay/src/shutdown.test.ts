/** The relay as a real process: SIGTERM flushes everything it received, then exits 0. */
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
});
