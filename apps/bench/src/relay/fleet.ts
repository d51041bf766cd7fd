/**
 * The load generator's clients, room by room: W writers and R readers holding real Yjs
 * documents (YjsPeer) in this process, the rest lightweight readers (LightSocket) in a child
 * process at lower CPU priority (light-fleet-main.ts), so that thousands of frames a second
 * to bulk readers do not delay the edits and latency measurements made here. All connect to
 * one server before any edit is made, so every client is owed every edit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, ownCpuSeconds } from './proc-stats';
import type { ServerProcess } from './servers';
import { EditLog, YjsPeer } from './yjs-peer';

export interface Topology {
  readonly rooms: number;
  readonly clientsPerRoom: number;
  readonly writersPerRoom: number;
  /** Readers with real Yjs documents (latency is measured on these); at least 1. */
  readonly realReadersPerRoom: number;
}

export interface RoomClients {
  readonly name: string;
  readonly writers: YjsPeer[];
  readonly readers: YjsPeer[];
  /** Edits each lightweight reader has counted (as last reported by the child process). */
  lightEdits: number[];
  /** Each writer's cursor. */
  readonly cursors: number[];
}

export interface Fleet {
  readonly rooms: readonly RoomClients[];
  readonly log: EditLog;
  readonly connections: number;
  /** Milliseconds from the first connect to the last client synced. */
  readonly connectMs: number;
  /** Edits the server owes all clients: each edit goes to everyone in its room but its writer. */
  expectedDeliveries(): number;
  /** Edits received so far by all clients. */
  deliveries(): number;
  /** Total edits made so far. */
  edits(): number;
  /** Asks the lightweight readers for their counts now (they also report every 50 ms). */
  refreshLightCounts(): Promise<void>;
  /** CPU seconds used by the generator so far: this process and the readers' process. */
  generatorCpuSeconds(): number;
  close(): void;
}

const here = dirname(fileURLToPath(import.meta.url));

interface LightFleet {
  readonly child: ChildProcess;
  request(): Promise<void>;
}

/** Starts the lightweight readers' process and connects its readers; counts land in `rooms`. */
async function startLightFleet(
  server: ServerProcess,
  rooms: readonly RoomClients[],
  perRoom: number,
  concurrency: number,
): Promise<LightFleet> {
  const child = fork(join(here, 'light-fleet-main.ts'), [], {
    cwd: join(here, '..', '..'),
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid !== undefined) setPriority(child.pid, 10);
  const byName = new Map(rooms.map((room) => [room.name, room]));
  const waiting = new Map<number, () => void>();
  let nextId = 1;
  child.on(
    'message',
    (message: { type: string; id?: number; edits?: Record<string, number[]> }) => {
      if (message.type !== 'counts' || !message.edits) return;
      for (const [name, counts] of Object.entries(message.edits)) {
        const room = byName.get(name);
        if (room) room.lightEdits = counts;
      }
      if (message.id !== undefined) {
        waiting.get(message.id)?.();
        waiting.delete(message.id);
      }
    },
  );
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: { type: string; message?: string }): void => {
      if (message.type === 'connected') resolve();
      if (message.type === 'error')
        reject(new Error(`lightweight readers: ${message.message ?? ''}`));
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`lightweight readers exited (${code})`)));
    child.send({
      type: 'connect',
      port: server.port,
      dialect: server.dialect,
      concurrency,
      rooms: perRoom > 0 ? rooms.map((room) => ({ name: room.name, count: perRoom })) : [],
    });
  });
  return {
    child,
    request: () =>
      new Promise<void>((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        child.send({ type: 'report', id });
      }),
  };
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const roomName = (index: number): string => `bench-room-${String(index).padStart(4, '0')}`;

export async function connectFleet(
  server: ServerProcess,
  topology: Topology,
  concurrency = 64,
): Promise<Fleet> {
  const log = new EditLog();
  const lightPerRoom =
    topology.clientsPerRoom - topology.writersPerRoom - topology.realReadersPerRoom;
  if (lightPerRoom < 0 || topology.realReadersPerRoom < 1 || topology.writersPerRoom < 1) {
    throw new Error(
      'a room needs at least one writer, one real reader, and no more roles than clients',
    );
  }
  const rooms: RoomClients[] = Array.from({ length: topology.rooms }, (_, i) => ({
    name: roomName(i),
    writers: [],
    readers: [],
    lightEdits: [],
    cursors: [],
  }));
  const peer = (room: RoomClients, self: () => number | null): Promise<YjsPeer> =>
    YjsPeer.connect({
      dialect: server.dialect,
      wsUrl: server.wsUrl,
      room: room.name,
      log,
      watched: () => {
        const me = self();
        return room.writers.map((w) => w.clientId).filter((id) => id !== me);
      },
    });
  type Job = () => Promise<void>;
  const writerJobs: Job[] = [];
  const otherJobs: Job[] = [];
  for (const room of rooms) {
    for (let w = 0; w < topology.writersPerRoom; w++) {
      writerJobs.push(async () => {
        let me: number | null = null;
        const writer = await peer(room, () => me);
        me = writer.clientId;
        room.writers.push(writer);
        room.cursors.push(0);
      });
    }
    for (let r = 0; r < topology.realReadersPerRoom; r++) {
      otherJobs.push(async () => {
        room.readers.push(await peer(room, () => null));
      });
    }
  }
  const started = performance.now();
  await pool(writerJobs, concurrency, (job) => job());
  await pool(otherJobs, concurrency, (job) => job());
  const lights = await startLightFleet(server, rooms, lightPerRoom, concurrency);
  const connectMs = performance.now() - started;
  const lightPid = lights.child.pid ?? 0;

  const edits = (): number => {
    let total = 0;
    for (const sent of log.sentAt.values()) total += sent.length;
    return total;
  };
  return {
    rooms,
    log,
    connections: topology.rooms * topology.clientsPerRoom,
    connectMs,
    expectedDeliveries() {
      let total = 0;
      for (const room of rooms) {
        let roomEdits = 0;
        for (const writer of room.writers)
          roomEdits += log.sentAt.get(writer.clientId)?.length ?? 0;
        total += roomEdits * (topology.clientsPerRoom - 1);
      }
      return total;
    },
    deliveries() {
      let total = 0;
      for (const room of rooms) {
        for (const p of room.writers) total += p.received;
        for (const p of room.readers) total += p.received;
        for (const edits of room.lightEdits) total += edits;
      }
      return total;
    },
    edits,
    refreshLightCounts: () => lights.request(),
    generatorCpuSeconds() {
      let child = 0;
      try {
        child = cpuSeconds(lightPid);
      } catch {
        // The readers' process has exited.
      }
      return ownCpuSeconds() + child;
    },
    close() {
      for (const room of rooms) {
        for (const p of [...room.writers, ...room.readers]) p.close();
      }
      if (lights.child.connected) lights.child.send({ type: 'close' });
      setTimeout(() => lights.child.kill('SIGKILL'), 2000).unref();
    },
  };
}
