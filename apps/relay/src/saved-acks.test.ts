import { MemoryDocStore } from '@weft/storage';
import { FaultyStore, waitUntil, type YjsClient } from '@weft/testkit';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Relay } from './relay';
import { useRelayHarness } from './test-support';

describe('saved acknowledgements', () => {
  const harness = useRelayHarness();

  async function setup(): Promise<{ store: FaultyStore; relay: Relay }> {
    const store = new FaultyStore(new MemoryDocStore());
    return { store, relay: await harness.start({ store }) };
  }

  function connect(target: Relay, doc: string, savedAcks = true): YjsClient {
    return harness.connect(target, doc, { savedAcks });
  }

  it('sends an opted-in client the stored state vector, and none to plain clients', async () => {
    const { relay } = await setup();
    const writer = connect(relay, 'acks');
    const plain = connect(relay, 'acks', false);
    await waitUntil(() => writer.acknowledged !== null && plain.provider.synced, 'first ack');
    writer.text.insert(0, 'durable words');
    await waitUntil(() => writer.isSaved(), 'writer saved');
    await waitUntil(() => plain.text.toString() === 'durable words', 'plain client has the text');
    expect(writer.acknowledged?.get(writer.doc.clientID)).toBe(13);
    expect(plain.ackFrames).toBe(0);
  });

  it('acknowledges nothing before the write that contains it has completed', async () => {
    const { store, relay } = await setup();
    const writer = connect(relay, 'gated');
    await waitUntil(() => writer.acknowledged !== null, 'initial ack');
    store.hold();
    writer.text.insert(0, 'not yet on disk');
    const reader = connect(relay, 'gated', false);
    // The edit reaches other clients while its write is held...
    await waitUntil(() => reader.text.toString() === 'not yet on disk', 'edit broadcast');
    await waitUntil(() => store.calls.append === 1, 'write started');
    // ...but is not acknowledged.
    expect(writer.isSaved()).toBe(false);
    expect(writer.acknowledged?.get(writer.doc.clientID) ?? 0).toBe(0);
    store.release();
    await waitUntil(() => writer.isSaved(), 'ack after the write completed');
  });

  it('group-commits updates that arrive while a write is in flight into one batch', async () => {
    const { store, relay } = await setup();
    const writer = connect(relay, 'batched');
    await waitUntil(() => writer.acknowledged !== null, 'initial ack');
    store.hold();
    writer.text.insert(0, 'first');
    await waitUntil(() => store.calls.append === 1, 'first write in flight');
    for (let i = 0; i < 50; i++) writer.text.insert(writer.text.length, ` ${i}`);
    const ackFramesBefore = writer.ackFrames;
    await waitUntil(
      () => relay.rooms.peek('batched')?.doc.getText('content').length === 145,
      'relay has every edit',
    );
    store.release();
    await waitUntil(() => writer.isSaved(), 'all saved');
    expect(store.appendSizes).toEqual([1, 50]);
    // One acknowledgement per batch, not per update.
    expect(writer.ackFrames - ackFramesBefore).toBe(2);
  });

  it('never acknowledges a failed write, counts the error, and saves once storage recovers', async () => {
    const { store, relay } = await setup();
    const writer = connect(relay, 'flaky');
    await waitUntil(() => writer.acknowledged !== null, 'initial ack');
    store.failAppends = true;
    writer.text.insert(0, 'survives a storage outage');
    await waitUntil(() => store.calls.append >= 2, 'write retried');
    expect(writer.isSaved()).toBe(false);
    expect(relay.rooms.peek('flaky')?.storageErrors).toBeGreaterThanOrEqual(2);
    expect(await relay.metrics.render()).toMatch(
      /weft_storage_errors_total\{operation="append"\} [1-9]/,
    );
    store.failAppends = false;
    await waitUntil(() => writer.isSaved(), 'saved after recovery');
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await store.load('flaky')) ?? new Uint8Array());
    expect(stored.getText('content').toString()).toBe('survives a storage outage');
  });
});
