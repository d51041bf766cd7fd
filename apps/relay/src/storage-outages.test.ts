/**
 * Storage outages are bounded: a store that fails, hangs or never comes back costs each
 * document at most `maxPendingBytes` of memory (writers are told 1013 and keep their edits),
 * a load gives up after `loadTimeoutMs` (1011), a document stuck unloading can be reopened,
 * `/readyz` says storage is unwell while it is, and shutdown ends at its deadline.
 */
import { MemoryDocStore, type DocInfo } from '@weft/storage';
import { FaultyStore, openRawSocket, waitUntil, type YjsClient } from '@weft/testkit';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from './connection';
import type { Relay } from './relay';
import { GatedLoadStore, useRelayHarness, wsUrl } from './test-support';

/** Retries every few milliseconds, so recovery shows up quickly. */
const FAST_RETRY = { retryMs: 10, maxRetryMs: 20, commitIntervalMs: 0 };

/** A store that can stop answering `close()` (or `info`, the readiness probe) for good. */
class StuckStore extends FaultyStore {
  closeHangs = false;
  probe: 'answers' | 'fails' | 'hangs' = 'answers';

  override close(): Promise<void> {
    return this.closeHangs ? new Promise<void>(() => undefined) : super.close();
  }

  override info(name: string): Promise<DocInfo | null> {
    if (this.probe === 'fails') return Promise.reject(new Error('disk gone'));
    if (this.probe === 'hangs') return new Promise<null>(() => undefined);
    return super.info(name);
  }
}

async function readiness(relay: Relay): Promise<{ status: number; reason?: string }> {
  const response = await fetch(`http://127.0.0.1:${relay.port}/readyz`);
  const body = (await response.json()) as { reason?: string };
  return { status: response.status, ...body };
}

async function storedText(store: MemoryDocStore, doc: string): Promise<string> {
  const state = await store.load(doc);
  const copy = new Y.Doc();
  if (state) Y.applyUpdate(copy, state);
  return copy.getText('content').toString();
}

/** Close codes the relay sent `client`, in order. */
function closeCodes(client: YjsClient): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event) => {
    if (event) codes.push(event.code);
  });
  return codes;
}

describe('storage outages', () => {
  const harness = useRelayHarness();

  it("bounds a document's unstored bytes: past the bound writers get 1013, and nothing is lost once storage recovers", async () => {
    const inner = new MemoryDocStore();
    const store = new FaultyStore(inner);
    const maxPendingBytes = 4096;
    const relay = await harness.start({ store }, { ...FAST_RETRY, maxPendingBytes });
    const writer = harness.connect(relay, 'bounded');
    const codes = closeCodes(writer);
    await waitUntil(() => writer.provider.synced, 'writer synced');

    store.hold();
    // 64 edits of 500 characters, each its own update: eight times the bound.
    for (let i = 0; i < 64; i++) writer.text.insert(writer.text.length, `${i}`.padEnd(500, '.'));
    await waitUntil(() => codes.includes(CloseCode.tryAgainLater), 'the writer was told 1013');
    // The writer reconnects and resends; while storage is still stuck it is refused again.
    await waitUntil(
      () => codes.filter((code) => code === CloseCode.tryAgainLater).length >= 3,
      'refused on reconnect too',
    );
    const room = relay.rooms.peek('bounded');
    expect(room?.persister.pendingBytes).toBeLessThanOrEqual(maxPendingBytes);
    expect(room?.doc.getText('content').length).toBeLessThan(writer.text.length);

    store.release();
    await waitUntil(() => writer.isSaved(), 'every edit stored after recovery');
    expect(await storedText(inner, 'bounded')).toBe(writer.text.toString());
  });

  it('closes with 1011 when a load takes longer than loadTimeoutMs, and a late load leaves no room', async () => {
    const store = new GatedLoadStore();
    const relay = await harness.start({ store }, { loadTimeoutMs: 100 });
    const waiting = await openRawSocket(`${wsUrl(relay)}/slow`);
    const closed = await waiting.closed;
    expect(closed.code).toBe(CloseCode.loadFailed);
    expect(closed.reason).toMatch(/too long to load/);
    expect(waiting.frames).toEqual([]);
    expect(relay.rooms.size).toBe(0);
    expect(relay.connections.size).toBe(0);
    expect(await relay.metrics.render()).toMatch(
      /weft_storage_errors_total\{operation="load_timeout"\} 1/,
    );

    // The store answers at last: the room it makes has no holder and is unloaded when idle.
    store.openLoads();
    await waitUntil(() => relay.rooms.size === 1, 'the late load made a room');
    await waitUntil(() => relay.rooms.size === 0, 'the late room unloaded');
  });

  it('reopens a document whose unload is stuck on storage, with its unsaved edits', async () => {
    const store = new FaultyStore(new MemoryDocStore());
    const relay = await harness.start({ store }, FAST_RETRY);
    const writer = harness.connect(relay, 'stuck');
    await waitUntil(() => writer.provider.synced, 'writer synced');
    store.hold();
    writer.text.insert(0, 'not stored yet');
    await waitUntil(() => store.calls.append === 1, 'the write is stuck');
    writer.destroy();
    await waitUntil(() => relay.rooms.size === 0, 'the unload began (and cannot finish)');

    const reader = harness.connect(relay, 'stuck', { savedAcks: false });
    await waitUntil(() => reader.text.toString() === 'not stored yet', 'the reader sees the edits');
    expect(store.calls.load).toBe(1);
    expect(relay.rooms.size).toBe(1);
    store.release();
    await waitUntil(() => relay.rooms.peek('stuck')?.persister.dirty === false, 'stored at last');
  });

  it('/readyz answers 503 with a reason while writes fail, and 200 once they succeed', async () => {
    const store = new FaultyStore(new MemoryDocStore());
    const relay = await harness.start({ store }, FAST_RETRY);
    expect((await readiness(relay)).status).toBe(200);
    const writer = harness.connect(relay, 'failing');
    await waitUntil(() => writer.provider.synced, 'writer synced');

    store.failAppends = true;
    writer.text.insert(0, 'retry me');
    await waitUntil(() => store.calls.append >= 2, 'writes are being retried');
    const outage = await readiness(relay);
    expect(outage.status).toBe(503);
    expect(outage.reason).toMatch(/storage writes failing for 1 document/);

    store.failAppends = false;
    await waitUntil(() => writer.isSaved(), 'stored after recovery');
    expect((await readiness(relay)).status).toBe(200);
  });

  it('/readyz answers 503 while a write has waited longer than loadTimeoutMs', async () => {
    const store = new FaultyStore(new MemoryDocStore());
    const relay = await harness.start({ store }, { ...FAST_RETRY, loadTimeoutMs: 100 });
    const writer = harness.connect(relay, 'hanging');
    await waitUntil(() => writer.provider.synced, 'writer synced');
    store.hold();
    writer.text.insert(0, 'held');
    await waitUntil(() => store.calls.append === 1, 'the write is in flight');
    // Ready until the write has waited 100 ms; poll until it has.
    let answer = await readiness(relay);
    const deadline = Date.now() + 5000;
    while (answer.status === 200 && Date.now() < deadline) answer = await readiness(relay);
    expect(answer.status).toBe(503);
    expect(answer.reason).toMatch(/has not answered a write/);

    store.release();
    await waitUntil(() => writer.isSaved(), 'stored once the store answers');
    expect((await readiness(relay)).status).toBe(200);
  });

  it('/readyz answers 503 when the store cannot be reached or does not answer', async () => {
    const store = new StuckStore(new MemoryDocStore());
    const relay = await harness.start({ store });
    store.probe = 'fails';
    const unreachable = await readiness(relay);
    expect(unreachable.status).toBe(503);
    expect(unreachable.reason).toMatch(/cannot be reached: disk gone/);

    store.probe = 'hangs';
    const silent = await readiness(relay);
    expect(silent.status).toBe(503);
    expect(silent.reason).toMatch(/did not answer/);

    store.probe = 'answers';
    expect((await readiness(relay)).status).toBe(200);
  });
});

describe('bounded shutdown', () => {
  const harness = useRelayHarness();

  it('returns within its deadline when writes and store close hang, and reports what is unsaved', async () => {
    const store = new StuckStore(new MemoryDocStore());
    const relay = await harness.start({ store }, FAST_RETRY);
    const writer = harness.connect(relay, 'unsaved');
    await waitUntil(() => writer.provider.synced, 'writer synced');
    store.hold();
    store.closeHangs = true;
    writer.text.insert(0, 'cannot be stored');
    await waitUntil(() => store.calls.append === 1, 'the write is stuck');

    const started = performance.now();
    const report = await relay.close(300);
    expect(performance.now() - started).toBeLessThan(1300);
    expect(report).toEqual({ complete: false, unsavedDocuments: 1, storeClosed: false });
  });

  it('reports a store that does not close even when everything was flushed', async () => {
    const store = new StuckStore(new MemoryDocStore());
    const relay = await harness.start({ store }, FAST_RETRY);
    const writer = harness.connect(relay, 'flushed');
    await waitUntil(() => writer.provider.synced, 'writer synced');
    writer.text.insert(0, 'stored');
    await waitUntil(() => writer.isSaved(), 'stored');
    store.closeHangs = true;

    const report = await relay.close(300);
    expect(report).toEqual({ complete: false, unsavedDocuments: 0, storeClosed: false });
  });

  it('reports a complete shutdown when everything is stored and the store closed', async () => {
    const relay = await harness.start();
    const writer = harness.connect(relay, 'clean');
    await waitUntil(() => writer.provider.synced, 'writer synced');
    writer.text.insert(0, 'stored');
    expect(await relay.close(1000)).toEqual({
      complete: true,
      unsavedDocuments: 0,
      storeClosed: true,
    });
  });
});
