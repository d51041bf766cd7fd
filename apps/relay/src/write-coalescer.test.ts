/**
 * write-coalescer.ts: a connection's frames of one event-loop turn leave in one write, after
 * the turn's end-of-turn work has run.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { atEndOfTurn, holdWrites } from './write-coalescer';

/** A socket stand-in that records each write call the stream makes, as the chunks it carried. */
class RecordingSocket extends Writable {
  readonly calls: string[][] = [];

  constructor() {
    super({
      write: (chunk: Buffer, _encoding, done) => {
        this.calls.push([chunk.toString()]);
        done();
      },
      writev: (chunks, done) => {
        this.calls.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
        done();
      },
    });
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('write coalescing', () => {
  it("sends a held socket's frames of one turn in one write", async () => {
    const held = new RecordingSocket();
    const unheld = new RecordingSocket();
    for (const frame of ['a', 'b', 'c']) {
      holdWrites(held);
      held.write(frame);
      unheld.write(frame);
    }
    expect(held.calls).toEqual([]);
    await nextTurn();
    expect(held.calls).toEqual([['a', 'b', 'c']]);
    expect(unheld.calls).toEqual([['a'], ['b'], ['c']]);
    // Held any number of times in a turn, the socket is released once, fully.
    expect(held.writableCorked).toBe(0);
  });

  it('runs end-of-turn work first, and releases what that work wrote in the same pass', async () => {
    const early = new RecordingSocket();
    const late = new RecordingSocket();
    holdWrites(early);
    early.write('update');
    atEndOfTurn(() => {
      // A room's broadcast at the end of the turn: it joins the writes held so far.
      early.write('broadcast');
      holdWrites(late);
      late.write('broadcast');
    });
    await nextTurn();
    expect(early.calls).toEqual([['update', 'broadcast']]);
    expect(late.calls).toEqual([['broadcast']]);
    expect(late.writableCorked).toBe(0);
  });
});
