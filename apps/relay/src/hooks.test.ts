/**
 * createRelay's hooks and authenticate, in process with official y-websocket clients: when each
 * hook runs and with what, that a throwing hook never stops the relay, and attaching to an
 * application's server under a prefix.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryDocStore } from '@weft/storage';
import { connectYjsClient, type YjsClient } from '@weft/testkit';
import { pino } from 'pino';
import type { RelayMetrics } from './metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { AuthError } from './auth';
import type { AuthenticateHook } from './authentication';
import type { ConnectionPayload, DocumentPayload, StoredPayload } from './hooks';
import { createRelay, type CreateRelayOptions, type Relay } from './relay';

const relays: Relay[] = [];
const clients: YjsClient[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const relay of relays.splice(0)) await relay.close(1000);
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Logged lines, so a test can see that a failing hook was reported. */
function capturedLog() {
  const lines: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  return { log, lines };
}

async function start(options: CreateRelayOptions = {}): Promise<Relay> {
  const relay = await createRelay({
    port: 0,
    idleUnloadMs: 60_000,
    log: pino({ level: 'silent' }),
    ...options,
  });
  relays.push(relay);
  return relay;
}

function connect(relay: Relay, docName: string): YjsClient {
  const client = connectYjsClient(`ws://127.0.0.1:${relay.port}${relay.path}`, docName, {
    savedAcks: false,
  });
  clients.push(client);
  return client;
}

/** Status of a refused upgrade to `url`. */
function refusal(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => reject(new Error('upgrade was accepted')));
    socket.on('error', () => undefined);
  });
}

describe('createRelay hooks', () => {
  it('awaits onLoad before any client is answered, and stores what it wrote', async () => {
    const store = new MemoryDocStore();
    let openGate = (): void => undefined;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const relay = await start({
      store,
      async onLoad({ doc }) {
        await gate;
        if (doc.getText('content').length === 0) doc.getText('content').insert(0, 'template');
      },
    });
    const client = connect(relay, 'seeded');
    const synced = new Promise<string>((resolve) =>
      client.provider.once('sync', () => resolve(client.text.toString())),
    );
    // The upgrade waits while onLoad runs: no open socket, no loaded room, nobody answered.
    await expect.poll(() => relay.rooms.size + (client.provider.wsconnected ? 1 : 0)).toBe(0);
    // A negative observation window: for 300 ms of onLoad, no sync may arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.provider.synced).toBe(false);
    openGate();
    // The first sync already holds it: nobody saw the document before onLoad finished.
    expect(await synced).toBe('template');
    await expect
      .poll(async () => {
        const state = await store.load('seeded');
        const copy = new Y.Doc();
        if (state) Y.applyUpdate(copy, state);
        return copy.getText('content').toString();
      })
      .toBe('template');
  });

  it('debounces onChange per document: a burst of edits is one call, with the last text', async () => {
    const changes: string[] = [];
    const relay = await start({
      changeDebounceMs: 150,
      onChange: ({ docName, doc }) => {
        changes.push(`${docName}:${doc.getText('content').toString()}`);
      },
    });
    const client = connect(relay, 'burst');
    const other = connect(relay, 'other');
    // Keystrokes 20 ms apart: each arrives on its own, all within one debounce of the last.
    for (const char of 'abcdefghij') {
      client.text.insert(client.text.length, char);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    other.text.insert(0, 'x');
    await expect.poll(() => changes.length).toBe(2);
    // A negative observation window (over two debounces): no further call may come.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(changes.sort()).toEqual(['burst:abcdefghij', 'other:x']);
  });

  it('calls onStored after a durable write with exactly what is stored', async () => {
    const store = new MemoryDocStore();
    const stored: StoredPayload[] = [];
    const relay = await start({ store, onStored: (payload) => void stored.push(payload) });
    const client = connect(relay, 'durable');
    client.text.insert(0, 'kept');
    await expect.poll(() => stored.length).toBeGreaterThan(0);
    const last = stored.at(-1);
    const fromHook = new Y.Doc();
    if (last) Y.applyUpdate(fromHook, last.state);
    expect(fromHook.getText('content').toString()).toBe('kept');
    const fromStore = new Y.Doc();
    const state = await store.load('durable');
    if (state) Y.applyUpdate(fromStore, state);
    expect(fromStore.getText('content').toString()).toBe('kept');
    expect(last?.stateVector).toEqual(Y.encodeStateVector(fromStore));
  });

  it('calls onConnect and onDisconnect with the principal, and onUnload with the document', async () => {
    const events: string[] = [];
    const onEvent = (kind: string) => (payload: ConnectionPayload) => {
      events.push(`${kind} ${payload.docName} ${payload.principal.userId}`);
    };
    const unloaded: DocumentPayload[] = [];
    const relay = await start({
      idleUnloadMs: 50,
      onConnect: onEvent('connect'),
      onDisconnect: onEvent('disconnect'),
      onUnload: (payload) => void unloaded.push(payload),
    });
    const client = connect(relay, 'visited');
    client.text.insert(0, 'bye');
    await expect.poll(() => events).toEqual(['connect visited local']);
    await expect
      .poll(() => relay.rooms.peek('visited')?.doc.getText('content').toString())
      .toBe('bye');
    client.destroy();
    await expect.poll(() => events).toEqual(['connect visited local', 'disconnect visited local']);
    await expect.poll(() => unloaded.map((u) => u.docName)).toEqual(['visited']);
    expect(unloaded[0]?.doc.getText('content').toString()).toBe('bye');
  });

  it('logs a hook that throws or rejects, and keeps serving and storing', async () => {
    const store = new MemoryDocStore();
    const { log, lines } = capturedLog();
    const fail = () => {
      throw new Error('application bug');
    };
    const reject = () => Promise.reject(new Error('application bug'));
    const relay = await start({
      store,
      log,
      changeDebounceMs: 10,
      onLoad: reject,
      onConnect: fail,
      onChange: fail,
      onStored: reject,
    });
    const alice = connect(relay, 'robust');
    const bob = connect(relay, 'robust');
    alice.text.insert(0, 'still works');
    await expect.poll(() => bob.text.toString()).toBe('still works');
    await expect.poll(async () => (await store.load('robust')) !== null).toBe(true);
    await expect
      .poll(() =>
        ['onLoad', 'onConnect', 'onChange', 'onStored'].filter((hook) =>
          lines.some(
            (line) => line.includes(`"hook":"${hook}"`) && line.includes('application bug'),
          ),
        ),
      )
      .toEqual(['onLoad', 'onConnect', 'onChange', 'onStored']);
  });
});

describe('createRelay authenticate', () => {
  it('refuses with 401 when the hook throws, with its status when it throws an AuthError', async () => {
    const { log, lines } = capturedLog();
    const authenticate: AuthenticateHook = ({ docName }) => {
      if (docName === 'forbidden') throw new AuthError(403, 'not yours');
      throw new Error('session store down');
    };
    const relay = await start({ authenticate, log });
    expect(await refusal(`ws://127.0.0.1:${relay.port}/broken`)).toBe(401);
    expect(await refusal(`ws://127.0.0.1:${relay.port}/forbidden`)).toBe(403);
    expect(lines.some((line) => line.includes('session store down'))).toBe(true);
    const access = await fetch(`http://127.0.0.1:${relay.port}/api/access/forbidden`);
    expect(access.status).toBe(403);
  });

  it('admits the user the hook returns, with its role: a reader cannot write', async () => {
    const relay = await start({
      authenticate: ({ request }) =>
        request.url?.includes('reader=1')
          ? { userId: 'rita', role: 'read' }
          : { userId: 'will', role: 'write', docs: 'team-*' },
    });
    expect(await refusal(`ws://127.0.0.1:${relay.port}/elsewhere`)).toBe(403);
    const writer = connect(relay, 'team-notes');
    writer.text.insert(0, 'from will');
    const reader = connectYjsClient(`ws://127.0.0.1:${relay.port}`, 'team-notes', {
      params: { reader: '1' },
      savedAcks: false,
    });
    clients.push(reader);
    await expect.poll(() => reader.text.toString()).toBe('from will');
    const refusedBefore = await readOnlyRefusals(relay);
    reader.text.insert(0, 'rita was here ');
    // Wait for the relay to have handled (and refused) the reader's update, not for a time.
    await expect.poll(() => readOnlyRefusals(relay)).toBe(refusedBefore + 1);
    expect(relay.rooms.peek('team-notes')?.doc.getText('content').toString()).toBe('from will');
  });
});

describe('createRelay attached to an application server', () => {
  it('takes only upgrades under its path, and close() leaves the server running', async () => {
    const server = createServer((request, response) => {
      if (!relay.handleRequest(request, response)) response.end('app');
    });
    servers.push(server);
    // Another WebSocket service of the application, on the same server.
    const other = new WebSocketServer({ noServer: true });
    server.on('upgrade', (request, socket, head) => {
      if (request.url?.startsWith('/chat')) {
        other.handleUpgrade(request, socket, head, (ws) => ws.send('chat'));
      }
    });
    const relay = await createRelay({ server, path: '/collab/', log: pino({ level: 'silent' }) });
    relays.push(relay);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    expect(relay.url).toBe(`http://localhost:${port}/collab`);

    const client = connect(relay, 'shared');
    const peer = connect(relay, 'shared');
    client.text.insert(0, 'attached');
    await expect.poll(() => peer.text.toString()).toBe('attached');
    const chat = new WebSocket(`ws://127.0.0.1:${port}/chat`);
    expect(
      await new Promise((resolve) =>
        chat.once('message', (data) => resolve((data as Buffer).toString())),
      ),
    ).toBe('chat');
    chat.close();
    expect(await (await fetch(`http://127.0.0.1:${port}/collab/healthz`)).json()).toEqual({
      ok: true,
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/elsewhere`)).text()).toBe('app');

    await relay.close(1000);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('app');
  });
});

/** Document messages the relay refused because their connection may only read. */
async function readOnlyRefusals(relay: { metrics: RelayMetrics }): Promise<number> {
  const { values } = await relay.metrics.rejectedFrames.get();
  return values.find((sample) => sample.labels.reason === 'read_only')?.value ?? 0;
}
