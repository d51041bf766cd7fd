import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { binaryMessage, SharedFrame } from './shared-frame';

/** ws exports its frame parser at runtime; @types/ws does not declare it. */
interface FrameReceiver {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  write(chunk: Buffer): void;
}
const { Receiver } = ws as unknown as {
  Receiver: new (options: { isServer: boolean; binaryType: string }) => FrameReceiver;
};

/** Parses `bytes` with ws's own receiver, as a client would (client side: unmasked frames). */
function receive(bytes: Buffer): Buffer[] {
  const messages: Buffer[] = [];
  const receiver = new Receiver({ isServer: false, binaryType: 'nodebuffer' });
  receiver.on('message', (data: Buffer, isBinary: boolean) => {
    expect(isBinary).toBe(true);
    messages.push(data);
  });
  receiver.on('error', (error) => {
    throw error;
  });
  receiver.write(bytes);
  return messages;
}

describe('binaryMessage', () => {
  it.each([0, 1, 125, 126, 127, 0xffff, 0x10000, 200_000])(
    'frames a %i-byte payload so a WebSocket client reads it back unchanged',
    (length) => {
      const payload = Uint8Array.from({ length }, (_, i) => (i * 31) % 256);
      const messages = receive(binaryMessage(payload));
      expect(messages).toHaveLength(1);
      expect(new Uint8Array(messages[0] ?? [])).toEqual(payload);
    },
  );

  it('frames back-to-back messages on one stream', () => {
    const a = Uint8Array.of(0, 2, 1, 7);
    const b = new Uint8Array(300).fill(9);
    const messages = receive(Buffer.concat([binaryMessage(a), binaryMessage(b)]));
    expect(messages.map((m) => m.byteLength)).toEqual([4, 300]);
  });
});

describe('SharedFrame', () => {
  it('builds the wire bytes once and hands every caller the same buffer', () => {
    const frame = new SharedFrame(Uint8Array.of(1, 2, 3));
    expect(frame.bytes).toBe(frame.bytes);
    expect([...frame.bytes]).toEqual([0x82, 3, 1, 2, 3]);
  });
});
