import { describe, expect, it } from 'vitest';
import { AccessTokenStore, type KeyValueStorage } from './token-store.js';
import { fakeToken } from './testing/fake-token.js';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

/** A clock the test moves by hand (epoch ms). */
function clock(start = 1_000_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => void (now += ms),
    seconds: (fromNow: number) => Math.floor(now / 1000) + fromNow,
  };
}

describe('AccessTokenStore', () => {
  it('keeps tokens across instances (reloads, other tabs) and ignores what is not a token', () => {
    const storage = memoryStorage();
    const time = clock();
    const store = new AccessTokenStore(storage, { now: time.now });
    const token = fakeToken({ doc: 'notes', role: 'read', exp: time.seconds(3600) });
    expect(store.add('garbage')).toBeNull();
    expect(store.add(token)?.claims.role).toBe('read');
    const again = new AccessTokenStore(storage, { now: time.now });
    expect(again.forDoc('notes')?.token).toBe(token);
    expect(again.forDoc('other')).toBeNull();
  });

  it('uses a token only for the documents its pattern grants', () => {
    const time = clock();
    const store = new AccessTokenStore(memoryStorage(), { now: time.now });
    const team = fakeToken({ doc: 'team-*', role: 'write', exp: time.seconds(60) });
    const plan = fakeToken({ doc: 'plan', role: 'read', exp: time.seconds(60) });
    store.add(team);
    store.add(plan);
    expect(store.forDoc('team-notes')?.token).toBe(team);
    expect(store.forDoc('plan')?.token).toBe(plan);
    expect(store.forDoc('teams')).toBeNull();
    expect(store.valid().map((item) => item.claims.doc)).toEqual(['plan', 'team-*']);
  });

  it('prefers an unexpired token, then the most recently added one', () => {
    const time = clock();
    const store = new AccessTokenStore(memoryStorage(), { now: time.now });
    const exact = fakeToken({ doc: 'team-notes', role: 'read', exp: time.seconds(60) });
    const prefix = fakeToken({ doc: 'team-*', role: 'write', exp: time.seconds(3600) });
    store.add(exact);
    time.advance(1);
    store.add(prefix);
    // The newer prefix link wins over the older exact one.
    expect(store.forDoc('team-notes')?.token).toBe(prefix);
    time.advance(1);
    store.add(exact);
    expect(store.forDoc('team-notes')?.token).toBe(exact);
    // Once the exact one has expired, the prefix one (still valid) is used.
    time.advance(61_000);
    expect(store.forDoc('team-notes')?.token).toBe(prefix);
    // When every matching token has expired, the newest is still returned (to say so).
    time.advance(3600_000);
    expect(store.forDoc('team-notes')?.token).toBe(exact);
    expect(store.valid()).toEqual([]);
  });

  it('keeps one token per pattern: a fresh link replaces the old one', () => {
    const storage = memoryStorage();
    const time = clock();
    const store = new AccessTokenStore(storage, { now: time.now });
    const old = fakeToken({ doc: 'notes', role: 'write', exp: time.seconds(2) });
    const fresh = fakeToken({ doc: 'notes', role: 'write', exp: time.seconds(3600) });
    store.add(old);
    time.advance(5000);
    store.add(fresh);
    expect(store.getSnapshot().map((item) => item.token)).toEqual([fresh]);
    expect(JSON.parse(storage.data.get('weft:access-tokens') ?? '[]')).toHaveLength(1);
  });

  it('forgets tokens long expired, and removed ones', () => {
    const storage = memoryStorage();
    const time = clock();
    const store = new AccessTokenStore(storage, { now: time.now });
    const old = fakeToken({ doc: 'old', role: 'read', exp: time.seconds(1) });
    const other = fakeToken({ doc: 'other', role: 'read', exp: time.seconds(1) });
    store.add(old);
    store.add(other);
    store.remove(other);
    expect(store.forDoc('other')).toBeNull();
    time.advance(31 * 24 * 3600 * 1000);
    expect(new AccessTokenStore(storage, { now: time.now }).getSnapshot()).toEqual([]);
  });

  it('survives corrupt or unavailable storage', () => {
    const storage = memoryStorage();
    storage.setItem('weft:access-tokens', '{nope');
    expect(new AccessTokenStore(storage).getSnapshot()).toEqual([]);
    storage.setItem('weft:access-tokens', JSON.stringify([{ token: 'x', addedAt: 1 }, 5, null]));
    expect(new AccessTokenStore(storage).getSnapshot()).toEqual([]);
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const store = new AccessTokenStore(broken);
    const token = fakeToken({ doc: 'n', role: 'read', exp: Math.floor(Date.now() / 1000) + 60 });
    expect(store.add(token)).not.toBeNull();
    expect(store.forDoc('n')?.token).toBe(token);
  });

  it('tells listeners about changes, including ones another tab made', () => {
    const storage = memoryStorage();
    const time = clock();
    const store = new AccessTokenStore(storage, { now: time.now });
    const otherTab = new AccessTokenStore(storage, { now: time.now });
    let calls = 0;
    store.subscribe(() => calls++);
    const before = store.getSnapshot();
    otherTab.add(fakeToken({ doc: 'n', role: 'read', exp: time.seconds(60) }));
    store.reload();
    expect(calls).toBe(1);
    expect(store.getSnapshot()).not.toBe(before);
    store.reload();
    expect(calls).toBe(1);
  });
});
