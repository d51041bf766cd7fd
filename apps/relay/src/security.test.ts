import { MemoryDocStore } from '@weft/storage';
import { openRawSocket, upgradeStatus, waitUntil, type YjsClient } from '@weft/testkit';
import { SignJWT } from 'jose';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { secretKey, signToken, type Role } from './auth';
import { encodeAwarenessEntries, type AwarenessEntry } from './awareness-guard';
import { CloseCode } from './connection';
import type { Relay, RelayOptions } from './relay';
import { connectionLimits } from './relay-options';
import { useRelayHarness, wsUrl } from './test-support';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const key = secretKey(SECRET);

function token(doc: string, role: Role, ttlSeconds = 3600): Promise<string> {
  return signToken({ userId: `user-${role}`, doc, role, ttlSeconds }, key);
}

function updateFrame(text: string, step: number = syncProtocol.messageYjsUpdate): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('content').insert(0, text);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
  return encoding.toUint8Array(encoder);
}

/** A SyncStep1 of an empty document: asks the relay for everything. */
function syncStep1Frame(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  return encoding.toUint8Array(encoder);
}

/** One awareness entry: `clientId`'s presence at `clock`, with a user called `name`. */
function presenceEntry(clientId: number, clock: number, name: string): AwarenessEntry {
  return { clientId, clock, state: JSON.stringify({ user: { name, color: '#336699' } }) };
}

/** An awareness message (type 1) carrying exactly `entries`. */
function presenceFrame(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessEntries(entries));
  return encoding.toUint8Array(encoder);
}

function presenceName(state: unknown): string | undefined {
  return (state as { user?: { name?: string } } | undefined)?.user?.name;
}

/** `weft_rejected_frames_total{reason}` right now. */
async function rejectedFrames(relay: Relay, reason: string): Promise<number> {
  const { values } = await relay.metrics.rejectedFrames.get();
  return values.find((sample) => sample.labels.reason === reason)?.value ?? 0;
}

/** `weft_rejected_upgrades_total` right now, by its status label (only labels seen). */
async function rejectedUpgrades(relay: Relay): Promise<Record<string, number>> {
  const { values } = await relay.metrics.rejectedUpgrades.get();
  return Object.fromEntries(values.map((sample) => [String(sample.labels.status), sample.value]));
}

/** Polls an async reading until it equals `expected`; fails naming the last value seen. */
async function waitForValue(
  read: () => Promise<number>,
  expected: number,
  what: string,
): Promise<void> {
  let last = await read();
  const deadline = Date.now() + 5_000;
  while (last !== expected) {
    if (Date.now() > deadline) throw new Error(`${what}: expected ${expected}, still ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    last = await read();
  }
}

function awarenessFrame(awareness: Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

describe('secured mode', () => {
  const harness = useRelayHarness();
  let store: MemoryDocStore;

  async function start(overrides: Partial<RelayOptions> = {}): Promise<Relay> {
    store = new MemoryDocStore();
    return harness.start({ store }, { authKey: key, ...overrides });
  }

  function connect(target: Relay, doc: string, accessToken: string): YjsClient {
    return harness.connect(target, doc, { params: { token: accessToken } });
  }

  async function storedText(doc: string): Promise<string> {
    const state = await store.load(doc);
    const ydoc = new Y.Doc();
    if (state) Y.applyUpdate(ydoc, state);
    return ydoc.getText('content').toString();
  }

  it('refuses missing, malformed, forged, expired and wrong-document tokens before loading', async () => {
    const target = await start();
    const url = `${wsUrl(target)}/plan`;
    const forged = await signToken(
      { userId: 'x', doc: 'plan', role: 'write', ttlSeconds: 60 },
      secretKey('another-secret-that-is-long-enough-to-sign'),
    );
    const expired = await new SignJWT({ doc: 'plan', role: 'write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(key);
    const noExpiry = await new SignJWT({ doc: 'plan', role: 'write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .sign(key);
    const refusedBefore = await rejectedUpgrades(target);
    expect(refusedBefore).toEqual({});
    expect(await upgradeStatus(url)).toBe(401);
    expect(await upgradeStatus(`${url}?token=not-a-jwt`)).toBe(401);
    expect(await upgradeStatus(`${url}?token=${forged}`)).toBe(401);
    expect(await upgradeStatus(`${url}?token=${expired}`)).toBe(401);
    expect(await upgradeStatus(`${url}?token=${noExpiry}`)).toBe(401);
    expect(await upgradeStatus(`${url}?token=${await token('other', 'write')}`)).toBe(403);
    expect(await upgradeStatus(`${url}?token=${await token('pl*', 'write')}`)).toBe(101);
    expect(await upgradeStatus(`${url}?token=${await token('plan', 'read')}`)).toBe(101);
    // Exactly the refusals this test caused, by status; the accepted ones count nowhere.
    expect(await rejectedUpgrades(target)).toEqual({ '401': 5, '403': 1 });
    expect(await store.list()).toEqual([]);
  });

  it('accepts the token as a Sec-WebSocket-Protocol entry', async () => {
    const target = await start();
    const accessToken = await token('proto', 'write');
    expect(await upgradeStatus(`${wsUrl(target)}/proto`, { protocols: [accessToken] })).toBe(101);
    // The official client over a subprotocol (the handshake fails unless one is echoed).
    const client = harness.connect(target, 'proto', { protocols: [accessToken] });
    await waitUntil(() => client.provider.synced, 'synced with a subprotocol token');
  });

  it('accepts the token in an Authorization: Bearer header on the upgrade', async () => {
    const target = await start();
    const url = `${wsUrl(target)}/bearer`;
    const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });
    const forged = await signToken(
      { userId: 'x', doc: 'bearer', role: 'write', ttlSeconds: 60 },
      secretKey('another-secret-that-is-long-enough-to-sign'),
    );
    expect(await upgradeStatus(url, { headers: bearer('not-a-jwt') })).toBe(401);
    expect(await upgradeStatus(url, { headers: bearer(forged) })).toBe(401);
    expect(await upgradeStatus(url, { headers: bearer(await token('other', 'write')) })).toBe(403);
    const granted = bearer(await token('bearer', 'write'));
    expect(await upgradeStatus(url, { headers: granted })).toBe(101);
    // And the connection it opens is a working one: it gets the relay's SyncStep1.
    const raw = await openRawSocket(url, granted);
    await waitUntil(() => raw.frames.length > 0, 'the relay greets the connection');
    raw.socket.close();
  });

  it('closes a connection with 4401 once its token expires, not before', async () => {
    const target = await start();
    // `exp` is in whole seconds: two seconds ahead leaves at least one second of validity at
    // the upgrade, whatever the current millisecond (a 1 s token could expire before it).
    const exp = Math.floor(Date.now() / 1000) + 2;
    const shortLived = await new SignJWT({ doc: 'short', role: 'write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime(exp)
      .sign(key);
    const raw = await openRawSocket(`${wsUrl(target)}/short?token=${shortLived}`);
    let closed: { code: number; reason: string; at: number } | undefined;
    void raw.closed.then((close) => (closed = { ...close, at: Date.now() }));
    await waitUntil(() => closed !== undefined, 'closed after expiry', 10_000);
    expect(closed?.code).toBe(CloseCode.tokenExpired);
    expect(closed?.reason).toBe('token expired');
    expect(closed?.at).toBeGreaterThanOrEqual(exp * 1000);
  });

  it('lets a reader receive updates and share a cursor, but never write', async () => {
    const target = await start();
    const writer = connect(target, 'shared', await token('shared', 'write'));
    const reader = connect(target, 'shared', await token('shared', 'read'));
    await waitUntil(() => writer.provider.synced && reader.provider.synced, 'synced');
    writer.text.insert(0, 'from the writer');
    await waitUntil(() => reader.text.toString() === 'from the writer', 'reader receives');
    await waitUntil(() => writer.isSaved(), 'writer saved');

    // The reader edits locally and sends it as an update and in a later SyncStep2.
    reader.text.insert(0, 'VANDAL ');
    reader.provider.awareness.setLocalStateField('user', { name: 'Reader', color: '#123456' });
    await waitUntil(
      () => writer.provider.awareness.getStates().get(reader.doc.clientID) !== undefined,
      'reader cursor visible to the writer',
    );
    const rawReader = await openRawSocket(
      `${wsUrl(target)}/shared?token=${await token('shared', 'read')}`,
    );
    rawReader.send(updateFrame('RAW VANDAL '));
    reader.provider.disconnect();
    reader.provider.connect();
    await waitUntil(() => reader.provider.synced, 'reader resynced');
    writer.text.insert(writer.text.length, '.');
    await waitUntil(() => writer.isSaved(), 'writer saved again');
    expect(writer.text.toString()).toBe('from the writer.');
    expect(target.rooms.peek('shared')?.doc.getText('content').toString()).toBe('from the writer.');
    expect(await storedText('shared')).toBe('from the writer.');
    expect(rawReader.socket.readyState).toBe(rawReader.socket.OPEN);
    rawReader.socket.close();
  });

  it("counts each of a reader's refused document messages, and only those", async () => {
    // A raw socket sends nothing of its own accord, so every count below is one frame of ours.
    const target = await start();
    const reader = await openRawSocket(
      `${wsUrl(target)}/counted?token=${await token('counted', 'read')}`,
    );
    expect(await rejectedFrames(target, 'read_only')).toBe(0);
    reader.send(updateFrame('an update'));
    await waitForValue(() => rejectedFrames(target, 'read_only'), 1, 'the update refused');
    reader.send(updateFrame('a sync step 2', syncProtocol.messageYjsSyncStep2));
    await waitForValue(() => rejectedFrames(target, 'read_only'), 2, 'the step 2 refused');
    // A SyncStep1 is a question, not content: answered, not refused.
    const framesBefore = reader.frames.length;
    reader.send(syncStep1Frame());
    await waitUntil(() => reader.frames.length > framesBefore, 'step 1 answered');
    expect(await rejectedFrames(target, 'read_only')).toBe(2);
    expect(target.rooms.peek('counted')?.doc.getText('content').toString()).toBe('');
    expect(reader.socket.readyState).toBe(reader.socket.OPEN);
    reader.socket.close();
  });

  it('lists only the documents a token grants, and refuses /api without a token', async () => {
    const target = await start();
    const writer = connect(target, 'team-a', await token('team-*', 'write'));
    const other = connect(target, 'private', await token('private', 'write'));
    await waitUntil(() => writer.provider.synced && other.provider.synced, 'synced');
    writer.text.insert(0, 'a');
    other.text.insert(0, 'b');
    await waitUntil(() => writer.isSaved() && other.isSaved(), 'saved');
    const base = `http://127.0.0.1:${target.port}/api/docs`;
    expect((await fetch(base)).status).toBe(401);
    expect((await fetch(`${base}?token=garbage`)).status).toBe(401);
    const response = await fetch(base, {
      headers: { authorization: `Bearer ${await token('team-*', 'read')}` },
    });
    const body = (await response.json()) as { docs: { name: string }[] };
    expect(body.docs.map((doc) => doc.name)).toEqual(['team-a']);
  });
});

describe('access checks over HTTP', () => {
  const harness = useRelayHarness();

  it('answers /api/access/<doc> exactly as the WebSocket upgrade would', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() }, { authKey: key });
    const access = (doc: string, bearer?: string) =>
      fetch(`http://127.0.0.1:${relay.port}/api/access/${doc}`, {
        headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
      });
    expect((await access('plan')).status).toBe(401);
    expect((await access('plan', 'garbage')).status).toBe(401);
    expect((await access('plan', await token('other', 'write'))).status).toBe(403);
    const granted = await access('plan', await token('pl*', 'read'));
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ role: 'read' });
    expect((await access('bad%20name', await token('*', 'read'))).status).toBe(400);

    const local = await harness.start();
    const open = await fetch(`http://127.0.0.1:${local.port}/api/access/plan`);
    expect(await open.json()).toEqual({ role: 'write', expiresAt: null });
  });
});

describe('hostile clients in local mode', () => {
  const harness = useRelayHarness();

  it("cannot remove or overwrite another user's presence, nor publish huge states", async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const victim = harness.connect(relay, 'presence');
    const watcher = harness.connect(relay, 'presence');
    victim.provider.awareness.setLocalStateField('user', { name: 'Victim', color: '#00ff00' });
    await waitUntil(
      () => watcher.provider.awareness.getStates().has(victim.doc.clientID),
      'victim visible',
    );

    const attacker = await openRawSocket(`${wsUrl(relay)}/presence`);
    const forged = new Awareness(new Y.Doc());
    // Pretend to be the victim with a newer clock: once overwriting, once removing.
    forged.clientID = victim.doc.clientID;
    forged.setLocalState({ user: { name: 'Impostor', color: '#ff0000' } });
    for (let i = 0; i < 5; i++)
      forged.setLocalState({ user: { name: 'Impostor', color: '#ff0000' } });
    attacker.send(awarenessFrame(forged, [victim.doc.clientID]));
    forged.setLocalState(null);
    attacker.send(awarenessFrame(forged, [victim.doc.clientID]));
    // And a state far over the size cap under the attacker's own id.
    const own = new Awareness(new Y.Doc());
    own.setLocalState({ junk: 'x'.repeat(100_000) });
    attacker.send(awarenessFrame(own, [own.clientID]));
    const honest = new Awareness(new Y.Doc());
    honest.setLocalState({ user: { name: 'Attacker', color: '#000000' } });
    attacker.send(awarenessFrame(honest, [honest.clientID]));

    await waitUntil(
      () => watcher.provider.awareness.getStates().has(honest.clientID),
      'attacker own presence',
    );
    const victimState = watcher.provider.awareness.getStates().get(victim.doc.clientID) as
      { user?: { name?: string } } | undefined;
    expect(victimState?.user?.name).toBe('Victim');
    expect(watcher.provider.awareness.getStates().has(own.clientID)).toBe(false);
    forged.destroy();
    own.destroy();
    honest.destroy();
    attacker.socket.close();
  });

  it('refuses browser upgrades from foreign origins, and allows configured ones', async () => {
    let relay = await harness.start({ store: new MemoryDocStore() });
    const url = `${wsUrl(relay)}/origins`;
    const host = `127.0.0.1:${relay.port}`;
    expect(await upgradeStatus(url, { headers: { origin: 'https://evil.example' } })).toBe(403);
    expect(await upgradeStatus(url, { headers: { origin: `http://${host}` } })).toBe(101);
    expect(await upgradeStatus(url)).toBe(101);
    await relay.close(1000);
    relay = await harness.start(
      { store: new MemoryDocStore() },
      { allowedOrigins: ['https://app.example'] },
    );
    const allowedUrl = `${wsUrl(relay)}/origins`;
    expect(await upgradeStatus(allowedUrl, { headers: { origin: 'https://app.example' } })).toBe(
      101,
    );
    expect(await upgradeStatus(allowedUrl, { headers: { origin: 'https://evil.example' } })).toBe(
      403,
    );
  });

  it('closes a flooding connection with 1008 and a reason', async () => {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      {
        limits: connectionLimits({
          messagesPerSecond: 20,
          bytesPerSecond: 1024 * 1024,
          maxFrameBytes: 8 * 1024 * 1024,
        }),
      },
    );
    const flooder = await openRawSocket(`${wsUrl(relay)}/flood`);
    for (let i = 0; i < 500; i++) flooder.send(Uint8Array.of(3));
    const closed = await flooder.closed;
    expect(closed.code).toBe(CloseCode.policy);
    expect(closed.reason).toMatch(/rate limit/);
  });

  it('lets one connection introduce at most 8 presence ids: the 9th is refused, never seen', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const watcher = harness.connect(relay, 'crowd');
    await waitUntil(() => watcher.provider.synced, 'watcher synced');
    const crowd = await openRawSocket(`${wsUrl(relay)}/crowd`);
    const ids = Array.from({ length: 9 }, (_, i) => 1_000 + i);
    // One frame per id, so each is judged after the ones before it were applied.
    for (const id of ids) crowd.send(presenceFrame([presenceEntry(id, 1, `Tab ${id}`)]));
    // A later change to an id it owns: once the watcher has it, the 9th frame was handled too.
    crowd.send(presenceFrame([presenceEntry(1_000, 2, 'Tab 1000 renamed')]));
    const states = () => watcher.provider.awareness.getStates();
    await waitUntil(() => presenceName(states().get(1_000)) === 'Tab 1000 renamed', 'rename');
    for (const id of ids.slice(0, 8)) expect(states().has(id), `id ${id}`).toBe(true);
    expect(states().has(1_008)).toBe(false);
    // (No count of refused entries here: y-websocket's watcher echoes every presence it
    // learns back to the relay, which refuses those too, correctly.)
    crowd.socket.close();
  });

  it('lets one connection introduce at most 8 presence ids, also within one frame', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const watcher = harness.connect(relay, 'crowd-at-once');
    await waitUntil(() => watcher.provider.synced, 'watcher synced');
    const crowd = await openRawSocket(`${wsUrl(relay)}/crowd-at-once`);
    const ids = Array.from({ length: 9 }, (_, i) => 2_000 + i);
    crowd.send(presenceFrame(ids.map((id) => presenceEntry(id, 1, `Tab ${id}`))));
    crowd.send(presenceFrame([presenceEntry(2_000, 2, 'Tab 2000 renamed')]));
    const states = () => watcher.provider.awareness.getStates();
    await waitUntil(() => presenceName(states().get(2_000)) === 'Tab 2000 renamed', 'rename');
    expect(ids.filter((id) => states().has(id))).toHaveLength(8);
    crowd.socket.close();
  });

  it('closes a connection over the byte rate with 1008, however few frames it sends', async () => {
    // 1,000 frames/s (bursts of 4,000) but 16 KiB/s (bursts of 16 KiB): 20 frames of 2 KiB
    // are far under the frame budget and 2.5 times the byte burst.
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      {
        limits: connectionLimits({
          messagesPerSecond: 1_000,
          bytesPerSecond: 16 * 1024,
          maxFrameBytes: 4 * 1024,
        }),
      },
    );
    const url = `${wsUrl(relay)}/heavy`;
    const heavy = await openRawSocket(url);
    const light = await openRawSocket(url);
    let closed: { code: number; reason: string } | undefined;
    void heavy.closed.then((close) => (closed = close));
    const bulky = new Uint8Array(2 * 1024);
    bulky[0] = 99; // a message type the relay ignores: only the limits can close the socket
    for (let i = 0; i < 20; i++) heavy.send(bulky);
    // The same number of small frames is fine.
    for (let i = 0; i < 20; i++) light.send(Uint8Array.of(99));
    await waitUntil(() => closed !== undefined, 'the heavy connection closed', 5_000);
    expect(closed).toEqual({ code: CloseCode.policy, reason: 'rate limit exceeded' });
    const framesBefore = light.frames.length;
    light.send(Uint8Array.of(3)); // query awareness: answered while the connection is open
    await waitUntil(() => light.frames.length > framesBefore, 'the light connection answered');
    // Frames past the 8th (16 KiB of burst in 2 KiB frames) are refused, each counted; fewer
    // if the bucket refilled on the way. The light connection's frames are not among them.
    const refused = await rejectedFrames(relay, 'rate');
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(12);
    light.socket.close();
  });

  it('caps connections per address, trusting X-Forwarded-For only when told to', async () => {
    let relay = await harness.start(
      { store: new MemoryDocStore() },
      { maxConnectionsPerAddress: 2 },
    );
    const url = `${wsUrl(relay)}/capped`;
    const first = await openRawSocket(url, { 'x-forwarded-for': '203.0.113.1' });
    const second = await openRawSocket(url, { 'x-forwarded-for': '203.0.113.2' });
    const third = await openRawSocket(url, { 'x-forwarded-for': '203.0.113.3' });
    const closed = await third.closed;
    expect(closed.code).toBe(CloseCode.policy);
    expect(closed.reason).toMatch(/too many connections/);
    first.socket.close();
    second.socket.close();
    await relay.close(1000);

    relay = await harness.start(
      { store: new MemoryDocStore() },
      { maxConnectionsPerAddress: 2, trustProxy: true },
    );
    const proxied = `${wsUrl(relay)}/capped`;
    const sockets = await Promise.all(
      ['203.0.113.1', '203.0.113.2', '203.0.113.3'].map((ip) =>
        openRawSocket(proxied, { 'x-forwarded-for': ip }),
      ),
    );
    const extra = await openRawSocket(proxied, { 'x-forwarded-for': '203.0.113.1' });
    const extra2 = await openRawSocket(proxied, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' });
    expect((await extra2.closed).code).toBe(CloseCode.policy);
    for (const raw of sockets) expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    for (const raw of [...sockets, extra]) raw.socket.close();
  });
});
