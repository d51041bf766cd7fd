import { describe, expect, it } from 'vitest';
import {
  decodeAwarenessEntries,
  encodeAwarenessEntries,
  filterAwarenessUpdate,
  type AwarenessEntry,
} from './awareness-guard';
import { connectionLimits } from './relay-options';

/** The relay's own cap (4 KiB), not a number of this test's choosing. */
const MAX_STATE_BYTES = connectionLimits({
  messagesPerSecond: 1,
  bytesPerSecond: 1,
  maxFrameBytes: 1,
}).maxAwarenessStateBytes;

function entry(clientId: number, state: unknown): AwarenessEntry {
  return { clientId, clock: 1, state: JSON.stringify(state) };
}

/** The client ids of the entries the guard lets through. */
function kept(entries: AwarenessEntry[], mayWrite: (id: number) => boolean = () => true) {
  const { update, rejected } = filterAwarenessUpdate(
    encodeAwarenessEntries(entries),
    mayWrite,
    MAX_STATE_BYTES,
  );
  const ids = update === null ? [] : decodeAwarenessEntries(update).map((e) => e.clientId);
  return { ids, rejected };
}

describe('awareness guard', () => {
  it('caps a presence state at 4 KiB of UTF-8, not of UTF-16 units', () => {
    expect(MAX_STATE_BYTES).toBe(4096);
    const ascii = entry(1, { junk: 'a'.repeat(4_000) }); // 4,011 bytes
    const euros = entry(2, { junk: '€'.repeat(2_000) }); // 2,011 units, 6,011 bytes
    const emoji = entry(3, { junk: '😀'.repeat(1_100) }); // 2,211 units, 4,411 bytes
    expect(kept([ascii, euros, emoji])).toEqual({ ids: [1], rejected: 2 });
  });

  it('allows a state of exactly the cap and refuses one byte more', () => {
    const overhead = JSON.stringify({ junk: '' }).length;
    const atCap = entry(1, { junk: `${'€'.repeat(1_000)}${'a'.repeat(4096 - overhead - 3_000)}` });
    const overCap = entry(2, {
      junk: `${'€'.repeat(1_000)}${'a'.repeat(4097 - overhead - 3_000)}`,
    });
    expect(Buffer.byteLength(atCap.state)).toBe(4096);
    expect(kept([atCap, overCap])).toEqual({ ids: [1], rejected: 1 });
  });

  it('keeps only the ids it may write and states that parse, returning allowed bytes untouched', () => {
    const mine = entry(1, { user: { name: 'Zoë' } });
    const theirs = entry(2, { user: { name: 'Other' } });
    const broken: AwarenessEntry = { clientId: 3, clock: 1, state: '{"user":' };
    expect(kept([mine, theirs, broken], (id) => id !== 2)).toEqual({ ids: [1], rejected: 2 });
    const update = encodeAwarenessEntries([mine]);
    expect(filterAwarenessUpdate(update, () => true, MAX_STATE_BYTES).update).toBe(update);
  });

  it('refuses an update that does not decode completely', () => {
    const update = encodeAwarenessEntries([entry(1, null)]);
    expect(() => filterAwarenessUpdate(update.slice(0, -1), () => true, MAX_STATE_BYTES)).toThrow();
    expect(() =>
      filterAwarenessUpdate(Uint8Array.of(...update, 0), () => true, MAX_STATE_BYTES),
    ).toThrow(/trailing/);
  });
});
