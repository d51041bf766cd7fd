import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryDocStore } from '@weft/storage';
import { waitUntil } from '@weft/testkit';
import { describe, expect, it } from 'vitest';
import { secretKey, signToken } from './auth';
import { silentLogger } from './logger';
import { createRelay, type Relay } from './relay';
import { openSse, type SseMessage, type SseStream } from './sse-test-support';
import { useRelayHarness } from './test-support';

async function sizeOf(relay: Relay): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${relay.port}/api/docs`);
  const body = (await response.json()) as { docs: { name: string; bytes: number }[] };
  return body.docs.find((doc) => doc.name === 'busy')?.bytes ?? -1;
}

function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('expected a value');
  return value;
}

const isDoc = (message: SseMessage) => message.event === 'doc';
const docOf = (message: SseMessage) => JSON.parse(message.data) as Record<string, unknown>;

describe('GET /api/events', () => {
  const harness = useRelayHarness();
  const streams: SseStream[] = [];
  const url = (relay: Relay, query = '') => `http://127.0.0.1:${relay.port}/api/events${query}`;
  async function open(relay: Relay, query = '', headers: Record<string, string> = {}) {
    const stream = await openSse(url(relay, query), headers);
    streams.push(stream);
    return stream;
  }
  const closeStreams = () => {
    for (const stream of streams.splice(0)) stream.close();
  };

  it('streams a doc event with an increasing id for a new document, its title and people', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const stream = await open(relay);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    await stream.waitFor((m) => m.retry !== null);

    const ada = harness.connect(relay, 'notes');
    ada.doc.getMap('meta').set('title', 'Meeting notes');
    ada.text.insert(0, 'hello');
    const [first] = await stream.waitFor((m) => isDoc(m) && docOf(m).title === 'Meeting notes');
    expect(docOf(must(first))).toMatchObject({ name: 'notes', deleted: false, people: 1 });
    expect(docOf(must(first)).size).toBeGreaterThan(0);
    expect(typeof docOf(must(first)).modified).toBe('number');

    ada.destroy();
    await stream.waitFor((m) => isDoc(m) && docOf(m).people === 0);
    const ids = stream.messages.filter(isDoc).map((m) => Number(m.id));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    closeStreams();
  });

  it('coalesces edits: at most one event per document per interval, the latest state last', async () => {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { eventCoalesceMs: 400, commitIntervalMs: 0 },
    );
    const ada = harness.connect(relay, 'busy');
    ada.text.insert(0, 'a');
    const stream = await open(relay);
    await waitUntil(() => relay.rooms.peek('busy') !== undefined, 'room loaded');
    const started = performance.now();
    for (let i = 0; i < 20; i++) {
      ada.text.insert(ada.text.length, 'x');
      // Pacing the typing (the workload), not waiting for anything.
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const elapsed = performance.now() - started;
    await must(relay.rooms.peek('busy')).persister.flush();
    const storedBytes = await sizeOf(relay);
    // The trailing event of the last window carries the final state.
    await waitUntil(() => stream.docs().at(-1)?.size === storedBytes, 'the final state');
    const edits = stream.docs();
    // ~500 ms of typing at one event per 400 ms: a few, never one per keystroke.
    expect(edits.length).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 2);
    expect(edits.length).toBeLessThan(10);
    closeStreams();
  });

  it('replays what a client missed after Last-Event-ID (header or query), in order', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() });
    const first = await open(relay);
    for (const name of ['one', 'two', 'three']) {
      const client = harness.connect(relay, name);
      client.text.insert(0, name);
      await first.waitFor((m) => isDoc(m) && docOf(m).name === name);
    }
    const seen = first.messages.filter(isDoc);
    const afterOne = must(must(seen.find((m) => docOf(m).name === 'one')).id);
    const expected = seen.filter((m) => Number(m.id) > Number(afterOne)).map((m) => m.id);
    expect(expected.length).toBeGreaterThan(0);

    for (const resumed of [
      await open(relay, '', { 'last-event-id': afterOne }),
      await open(relay, `?lastEventId=${afterOne}`),
    ]) {
      const replayed = await resumed.waitFor(isDoc, expected.length);
      expect(replayed.map((m) => m.id)).toEqual(expected);
      expect(resumed.messages.some((m) => m.event === 'reset')).toBe(false);
    }
    closeStreams();
  });

  it('tells a client whose id is older than the log (or unknown) to reset', async () => {
    const relay = await harness.start(
      { store: new MemoryDocStore() },
      { eventRetention: { maxEvents: 2, maxAgeMs: 60_000 } },
    );
    const first = await open(relay);
    for (const name of ['a', 'b', 'c', 'd']) {
      harness.connect(relay, name).text.insert(0, name);
      await first.waitFor((m) => isDoc(m) && docOf(m).name === name);
    }
    const oldest = must(must(first.messages.find(isDoc)).id);
    const stale = await open(relay, '', { 'last-event-id': oldest });
    await stale.waitFor((m) => m.event === 'reset');
    expect(stale.messages.filter(isDoc)).toHaveLength(0);
    const garbage = await open(relay, '', { 'last-event-id': 'not-a-number' });
    await garbage.waitFor((m) => m.event === 'reset');
    // The newest id is still in the log: nothing to replay, no reset.
    const newest = must(must(first.messages.filter(isDoc).at(-1)).id);
    const current = await open(relay, '', { 'last-event-id': newest });
    await current.waitFor((m) => m.retry !== null);
    // A new event after the resume point must be the first thing this stream gets: no replay
    // of what it had, no reset before it.
    harness.connect(relay, 'e').text.insert(0, 'e');
    await current.waitFor((m) => isDoc(m) && docOf(m).name === 'e');
    expect(current.messages.some((m) => m.event === 'reset')).toBe(false);
    expect(current.messages.filter(isDoc).map((m) => docOf(m).name)).toEqual(['e']);
    closeStreams();
  });

  it('sends a keep-alive comment on an idle stream', async () => {
    const relay = await harness.start({ store: new MemoryDocStore() }, { eventKeepAliveMs: 50 });
    const stream = await open(relay);
    await stream.waitFor((m) => m.comments.includes('keep-alive'), 2);
    closeStreams();
  });

  it('in secured mode needs a token and sends only the documents it may read', async () => {
    const key = secretKey('a-test-secret-that-is-long-enough-for-hs256');
    const relay = await harness.start({ store: new MemoryDocStore() }, { authKey: key });
    const refused = await open(relay);
    expect(refused.status).toBe(401);
    const teamToken = await signToken(
      { userId: 'ada', doc: 'team-*', role: 'read', ttlSeconds: 600 },
      key,
    );
    const stream = await open(relay, `?token=${encodeURIComponent(teamToken)}`);
    expect(stream.status).toBe(200);
    for (const doc of ['secret-plan', 'team-notes']) {
      const writer = await signToken({ userId: 'w', doc, role: 'write', ttlSeconds: 600 }, key);
      harness.connect(relay, doc, { params: { token: writer } }).text.insert(0, doc);
    }
    await stream.waitFor((m) => isDoc(m) && docOf(m).name === 'team-notes');
    // secret-plan's write was stored too (the relay saw both), never sent to this token.
    await waitUntil(() => relay.rooms.peek('secret-plan')?.persister.dirty === false, 'stored');
    // Events leave in order: once an event of a document written later has arrived, any event
    // of secret-plan would have arrived before it.
    const laterToken = await signToken(
      { userId: 'w', doc: 'team-later', role: 'write', ttlSeconds: 600 },
      key,
    );
    harness.connect(relay, 'team-later', { params: { token: laterToken } }).text.insert(0, 'x');
    await stream.waitFor((m) => isDoc(m) && docOf(m).name === 'team-later');
    expect(stream.docs().map((doc) => doc.name)).not.toContain('secret-plan');
    closeStreams();
  });

  it('ends open streams when a relay attached to an application’s server shuts down', async () => {
    // Standalone, closing the server drops every connection anyway; attached, the server is
    // the application's and stays up, so the relay must end its streams itself.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const relay = await createRelay({ server, store: new MemoryDocStore(), log: silentLogger() });
    server.on('request', (request, response) => {
      if (!relay.handleRequest(request, response)) response.end();
    });
    const { port } = server.address() as AddressInfo;
    const stream = await openSse(`http://127.0.0.1:${port}/api/events`);
    streams.push(stream);
    await stream.waitFor((m) => m.retry !== null);
    expect((await relay.close(2000)).complete).toBe(true);
    await stream.ended;
    await new Promise((resolve) => server.close(resolve));
  });
});
