import { MemoryDocStore } from '@weft/storage';
import { openRawSocket, waitUntil, type YjsClient } from '@weft/testkit';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode } from './connection';
import type { Relay } from './relay';
import { useRelayHarness, wsUrl } from './test-support';

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsUpdate);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A real update whose struct section is cut short. */
function truncatedUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, 'this update will be cut in half');
  const update = Y.encodeStateAsUpdate(doc);
  return update.subarray(0, Math.floor(update.length / 2));
}

const malformedFrames: Record<string, Uint8Array> = {
  'a truncated varint': Uint8Array.of(0x80),
  'a sync frame with no step': Uint8Array.of(0),
  'an unknown sync step': Uint8Array.of(0, 7),
  'a truncated update length': Uint8Array.of(0, 2, 0xff, 0xff),
  'an update that fails to decode': syncUpdateFrame(truncatedUpdate()),
  'an awareness frame with garbage': Uint8Array.of(1, 3, 0xff, 0xff, 0xff),
};

describe('hostile and malformed input', () => {
  const harness = useRelayHarness();

  async function documentWithBystander(
    doc: string,
  ): Promise<{ relay: Relay; bystander: YjsClient }> {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { maxFrameBytes: 64 * 1024 },
    );
    const bystander = harness.connect(relay, doc);
    await waitUntil(() => bystander.provider.synced, 'bystander synced');
    bystander.text.insert(0, 'intact');
    await waitUntil(() => bystander.isSaved(), 'bystander saved');
    return { relay, bystander };
  }

  for (const [label, frame] of Object.entries(malformedFrames)) {
    it(`closes a connection that sends ${label} with 1007, leaving the document intact`, async () => {
      const { relay, bystander } = await documentWithBystander('target');
      const attacker = await openRawSocket(`${wsUrl(relay)}/target`);
      attacker.send(frame);
      const closed = await attacker.closed;
      expect(closed.code).toBe(CloseCode.invalidData);
      expect(closed.reason.length).toBeGreaterThan(0);
      expect(relay.rooms.peek('target')?.doc.getText('content').toString()).toBe('intact');
      // Everyone else carries on.
      bystander.text.insert(6, '!');
      await waitUntil(() => bystander.isSaved(), 'bystander still saving');
      expect(bystander.provider.wsconnected).toBe(true);
    });
  }

  it('refuses text frames with 1007', async () => {
    const { relay } = await documentWithBystander('text');
    const attacker = await openRawSocket(`${wsUrl(relay)}/text`);
    attacker.send('hello');
    expect((await attacker.closed).code).toBe(CloseCode.invalidData);
  });

  it('refuses a frame over the size limit with 1009', async () => {
    const { relay, bystander } = await documentWithBystander('big');
    const attacker = await openRawSocket(`${wsUrl(relay)}/big`);
    attacker.send(new Uint8Array(64 * 1024 + 1));
    expect((await attacker.closed).code).toBe(CloseCode.tooBig);
    expect(bystander.provider.wsconnected).toBe(true);
    expect(await relay.metrics.render()).toMatch(
      /weft_rejected_frames_total\{reason="too_big"\} 1/,
    );
  });

  it('ignores unknown message types and keeps the connection', async () => {
    const { relay } = await documentWithBystander('unknown');
    const peer = await openRawSocket(`${wsUrl(relay)}/unknown`);
    peer.send(Uint8Array.of(42, 1, 2, 3));
    const doc = new Y.Doc();
    doc.getText('content').insert(0, 'after unknown ');
    peer.send(syncUpdateFrame(Y.encodeStateAsUpdate(doc)));
    await waitUntil(
      () =>
        relay.rooms.peek('unknown')?.doc.getText('content').toString().includes('after unknown') ===
        true,
      'the update after the unknown frame was applied',
    );
    expect(peer.socket.readyState).toBe(peer.socket.OPEN);
    peer.socket.close();
  });
});
