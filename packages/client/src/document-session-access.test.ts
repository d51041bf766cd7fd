import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DocumentSession, type AccessCheck } from './document-session.js';
import { ManualNetworkSignal } from './network-signal.js';
import { FakeWebSocket, FakeWebSocketPolyfill } from './testing/fake-websocket.js';
import { fakeToken } from './testing/fake-token.js';

const user = { name: 'Ada', color: '#6e56cf' };
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

function open(options: { token?: string | null; checkAccess?: AccessCheck } = {}) {
  return new DocumentSession({
    relayUrl: 'ws://relay.test',
    docName: 'notes',
    user,
    WebSocketPolyfill: FakeWebSocketPolyfill,
    network: new ManualNetworkSignal(true),
    backoff: { baseMs: 1000, maxMs: 8000 },
    ...options,
  });
}

function tokenOf(socket: FakeWebSocket): string | null {
  return new URL(socket.url).searchParams.get('token');
}

describe('DocumentSession access', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects without a token in local mode, with full rights', async () => {
    const session = open();
    await session.ready;
    expect(tokenOf(FakeWebSocket.latest())).toBeNull();
    expect(session.getAccess()).toMatchObject({ token: null, role: 'write', problem: null });
    session.destroy();
  });

  it('sends the token as the `token` parameter and takes the role from it', async () => {
    const token = fakeToken({ doc: 'notes', role: 'read', exp: inAnHour() });
    const session = open({ token });
    await session.ready;
    expect(tokenOf(FakeWebSocket.latest())).toBe(token);
    expect(session.getAccess()).toMatchObject({ token, role: 'read', problem: null });
    session.destroy();
  });

  it('on 4401 stops connecting, keeps the edits, and reconnects with a fresh token', async () => {
    const session = open({ token: fakeToken({ doc: 'notes', role: 'write', exp: inAnHour() }) });
    await session.ready;
    const relayDoc = new Y.Doc();
    FakeWebSocket.latest().accept();
    FakeWebSocket.latest().completeSync(relayDoc);
    expect(session.saveStatus.getSnapshot().state).not.toBe('offline');

    FakeWebSocket.latest().fail(4401);
    expect(session.getAccess().problem).toBe('expired');
    expect(session.saveStatus.getSnapshot().state).toBe('offline');
    session.text.insert(0, 'written while expired');
    vi.advanceTimersByTime(120_000);
    expect(FakeWebSocket.instances).toHaveLength(1);

    const fresh = fakeToken({ doc: 'notes', role: 'write', exp: inAnHour() + 60 });
    session.setToken(fresh);
    expect(session.getAccess()).toMatchObject({ token: fresh, problem: null });
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(tokenOf(FakeWebSocket.latest())).toBe(fresh);
    expect(session.text.toString()).toBe('written while expired');
    session.destroy();
  });

  it('does not connect with a token that has already expired', async () => {
    const session = open({ token: fakeToken({ doc: 'notes', role: 'write', exp: 1000 }) });
    await session.ready;
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(session.getAccess().problem).toBe('expired');
    expect(session.saveStatus.getSnapshot().state).toBe('offline');
    session.destroy();
  });

  it('asks the relay after a failed attempt, and stops once it refuses', async () => {
    const checks: (string | null)[] = [];
    let verdict: 'granted' | 'refused' = 'granted';
    const checkAccess: AccessCheck = (token) => {
      checks.push(token);
      return Promise.resolve(verdict);
    };
    const session = open({ checkAccess });
    await session.ready;
    // An unreachable relay (the check says the token is fine) is retried with backoff.
    FakeWebSocket.latest().fail();
    await vi.advanceTimersByTimeAsync(0);
    expect(checks).toEqual([null]);
    expect(session.getAccess().problem).toBeNull();
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);

    verdict = 'refused';
    FakeWebSocket.latest().fail();
    await vi.advanceTimersByTimeAsync(0);
    expect(checks).toEqual([null, null]);
    expect(session.getAccess().problem).toBe('missing');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    session.destroy();
  });

  it('tells a refused token from an expired one', async () => {
    const token = fakeToken({ doc: 'notes', role: 'write', exp: inAnHour() });
    const session = open({ token, checkAccess: () => Promise.resolve('refused') });
    await session.ready;
    FakeWebSocket.latest().fail();
    await vi.advanceTimersByTimeAsync(0);
    expect(session.getAccess().problem).toBe('refused');
    session.destroy();
  });

  it('ignores a check that a new token made stale', async () => {
    let answer: (verdict: 'refused') => void = () => undefined;
    const session = open({
      token: fakeToken({ doc: 'notes', role: 'read', exp: inAnHour() }),
      checkAccess: () => new Promise((resolve) => (answer = resolve)),
    });
    await session.ready;
    FakeWebSocket.latest().fail();
    session.setToken(fakeToken({ doc: 'notes', role: 'write', exp: inAnHour() }));
    answer('refused');
    await vi.advanceTimersByTimeAsync(0);
    expect(session.getAccess()).toMatchObject({ role: 'write', problem: null });
    session.destroy();
  });
});
