import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocumentSession, type AccessVerdict, type RelayRefusal } from './document-session.js';
import { ManualNetworkSignal } from './network-signal.js';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket.js';

const user = { name: 'Ada', color: '#6e56cf' };
const byOrigin: RelayRefusal = {
  kind: 'origin',
  origin: 'https://weft.example.com',
  publicOrigin: 'http://127.0.0.1:4455',
};

/** A session whose access checks answer `verdicts` in turn (the last one from then on). */
function open(verdicts: AccessVerdict[]) {
  const asked: (string | null)[] = [];
  const session = new DocumentSession({
    relayUrl: 'ws://relay.test',
    docName: 'notes',
    user,
    WebSocketPolyfill: FakeWebSocketPolyfill,
    network: new ManualNetworkSignal(true),
    backoff: { baseMs: 1000, maxMs: 1000 },
    checkAccess: (token) => {
      asked.push(token);
      const verdict = verdicts.length > 1 ? verdicts.shift() : verdicts[0];
      return Promise.resolve(verdict ?? 'unknown');
    },
  });
  return { session, asked };
}

/** The current attempt fails, and the access check it triggers has answered. */
async function failAttempt(): Promise<void> {
  FakeWebSocket.latest().fail();
  await vi.advanceTimersByTimeAsync(0);
}

describe('DocumentSession refusals the operator must fix', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports the relay’s refusal, keeps retrying, and clears it once a connection syncs', async () => {
    const { session } = open([byOrigin]);
    await session.ready;
    await failAttempt();
    expect(session.getAccess()).toMatchObject({ refusal: byOrigin, problem: null });

    // Not a token problem: nothing for the user to paste, so the session keeps trying
    // (the operator's fix then needs no reload), and an unchanged answer changes nothing.
    const snapshot = session.getAccess();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    await failAttempt();
    expect(session.getAccess()).toBe(snapshot);

    await vi.advanceTimersByTimeAsync(1000);
    FakeWebSocket.latest().accept();
    FakeWebSocket.latest().completeSync(new Y.Doc());
    expect(session.getAccess().refusal).toBeNull();
    session.destroy();
  });

  it('follows the relay’s answer from one attempt to the next', async () => {
    const limit: RelayRefusal = { kind: 'address-limit', limit: 256 };
    const { session, asked } = open([limit, byOrigin, 'unknown']);
    await session.ready;
    await failAttempt();
    expect(session.getAccess().refusal).toEqual(limit);
    await vi.advanceTimersByTimeAsync(1000);
    await failAttempt();
    expect(session.getAccess().refusal).toEqual(byOrigin);
    // A relay that cannot be asked any more is not said to refuse.
    await vi.advanceTimersByTimeAsync(1000);
    await failAttempt();
    expect(session.getAccess().refusal).toBeNull();
    expect(asked).toEqual([null, null, null]);
    session.destroy();
  });

  it('keeps a token refusal apart: that one stops connecting and asks for a link', async () => {
    const { session } = open([byOrigin, 'refused']);
    await session.ready;
    await failAttempt();
    await vi.advanceTimersByTimeAsync(1000);
    await failAttempt();
    expect(session.getAccess()).toMatchObject({ problem: 'missing', refusal: null });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    session.destroy();
  });
});
