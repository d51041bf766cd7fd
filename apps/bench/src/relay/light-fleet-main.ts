/**
 * Child-process entry holding the load generator's lightweight readers, so that their socket
 * work does not delay the process that makes edits and measures latency on real documents.
 * The parent runs it at a lower CPU priority (nice 10): bulk readers yield to the server under
 * test and to the measuring process, and catch up when the CPU is free.
 *
 * Protocol (IPC messages):
 *   parent -> child  { type: 'connect', port, dialect, rooms: [{ name, count }] }
 *   child  -> parent { type: 'connected' } | { type: 'error', message }
 *   child  -> parent { type: 'counts', id?, edits: { [room]: number[] } }  every 50 ms, and
 *                    with the request's id in answer to { type: 'report', id }
 *   parent -> child  { type: 'report', id } | { type: 'close' }
 */
import type { Dialect } from './dialect';
import { connectLight, type LightSocket } from './light-socket';

interface ConnectMessage {
  readonly type: 'connect';
  readonly port: number;
  readonly dialect: Dialect;
  readonly concurrency: number;
  readonly rooms: readonly { name: string; count: number }[];
}

type Message =
  ConnectMessage | { readonly type: 'report'; readonly id: number } | { readonly type: 'close' };

const sockets = new Map<string, LightSocket[]>();
let timer: NodeJS.Timeout | null = null;

function send(message: unknown): void {
  process.send?.(message);
}

/** Sends every reader's count; `id` answers a request (periodic reports have none). */
function report(id?: number): void {
  const edits: Record<string, number[]> = {};
  for (const [room, list] of sockets) edits[room] = list.map((s) => s.edits);
  send({ type: 'counts', id, edits });
}

async function connectAll(message: ConnectMessage): Promise<void> {
  const jobs = message.rooms.flatMap((room) => Array.from({ length: room.count }, () => room.name));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const room = jobs[next++] ?? '';
      const socket = await connectLight(message.port, message.dialect, room);
      const list = sockets.get(room) ?? [];
      list.push(socket);
      sockets.set(room, list);
    }
  };
  await Promise.all(Array.from({ length: Math.min(message.concurrency, jobs.length) }, worker));
}

process.on('message', (message: Message) => {
  switch (message.type) {
    case 'connect':
      connectAll(message).then(
        () => {
          send({ type: 'connected' });
          timer = setInterval(() => report(), 50);
        },
        (error: unknown) =>
          send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
      return;
    case 'report':
      report(message.id);
      return;
    case 'close':
      if (timer) clearInterval(timer);
      for (const list of sockets.values()) for (const socket of list) socket.close();
      process.exit(0);
  }
});
