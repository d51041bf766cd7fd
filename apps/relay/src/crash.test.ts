/**
 * The relay as a real process: acknowledged edits survive SIGKILL (also mid-compaction), and
 * SIGTERM flushes everything it received before exiting 0.
 */
import {
  connectYjsClient,
  startRelayProcess,
  tempDir,
  waitUntil,
  type RelayProcess,
  type TempDir,
  type YjsClient,
} from '@weft/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';

/** A writer that inserts unique tokens and remembers the clock each one needs to be saved. */
class TokenWriter {
  readonly tokens: { token: string; clock: number }[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly client: YjsClient,
    private readonly prefix: string,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      const token = `${this.prefix}-${this.tokens.length};`;
      this.client.text.insert(this.client.text.length, token);
      const clock = Y.getState(this.client.doc.store, this.client.doc.clientID);
      this.tokens.push({ token, clock });
    }, 2);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Tokens covered by the latest saved acknowledgement. */
  acknowledged(): string[] {
    const clock = this.client.acknowledged?.get(this.client.doc.clientID) ?? 0;
    return this.tokens.filter((entry) => entry.clock <= clock).map((entry) => entry.token);
  }
}

describe('relay process crashes and shutdowns', () => {
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

  for (const [label, env] of [
    ['', {}],
    [' during compaction', { WEFT_COMPACT_UPDATES: '5' }],
  ] as const) {
    it(`keeps every acknowledged edit through kill -9${label}`, async () => {
      let relay = await start(undefined, env);
      const port = relay.port;
      for (let round = 0; round < 3; round++) {
        const writer = new TokenWriter(connectYjsClient(relay.url, 'crash'), `r${round}`);
        clients.push(writer.client);
        await waitUntil(() => writer.client.provider.synced, 'writer synced');
        writer.start();
        const target = 20 + Math.floor(Math.random() * 40);
        await waitUntil(
          () => writer.acknowledged().length >= target,
          `${target} tokens acknowledged`,
        );
        await relay.stop('SIGKILL');
        writer.stop();
        const acknowledged = writer.acknowledged();
        // The writer is gone too, so it cannot quietly re-send what the relay lost.
        writer.client.destroy();

        relay = await start(port, env);
        const text = await readFromDisk(relay, 'crash');
        const lost = acknowledged.filter((token) => !text.includes(token));
        expect(lost, `round ${round}: acknowledged tokens lost`).toEqual([]);
      }
    });
  }

  it('flushes everything it received and exits 0 on SIGTERM', async () => {
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
    const exit = await relay.stop('SIGTERM');
    expect(exit.code).toBe(0);

    const restarted = await start();
    expect(await readFromDisk(restarted, 'graceful')).toBe(expected);
  });
});
