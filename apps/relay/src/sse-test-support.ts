/** An SSE client on a real HTTP connection, for tests of `/api/events`. */
import { get, type IncomingMessage } from 'node:http';
import { waitUntil } from '@weft/testkit';

export interface SseMessage {
  readonly id: string | null;
  readonly event: string;
  readonly data: string;
  readonly retry: number | null;
  /** Comment lines (`: keep-alive`) seen before this message's fields. */
  readonly comments: readonly string[];
}

export interface SseStream {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** Every complete message so far (blocks with only a comment or `retry` included). */
  readonly messages: SseMessage[];
  /** `doc` events' data, parsed. */
  docs(): Record<string, unknown>[];
  /** Waits until `count` messages match `predicate`. */
  waitFor(predicate: (message: SseMessage) => boolean, count?: number): Promise<SseMessage[]>;
  close(): void;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      { headers: { accept: 'text/event-stream', ...headers } },
      (response) => {
        const messages: SseMessage[] = [];
        let buffer = '';
        let ended!: () => void;
        const endedPromise = new Promise<void>((done) => (ended = done));
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let boundary: number;
          while ((boundary = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, boundary);
            buffer = buffer.slice(boundary + 2);
            messages.push(parseBlock(block));
          }
        });
        response.on('end', ended);
        response.on('close', ended);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          messages,
          docs: () =>
            messages
              .filter((m) => m.event === 'doc')
              .map((m) => JSON.parse(m.data) as Record<string, unknown>),
          async waitFor(predicate, count = 1) {
            await waitUntil(
              () => messages.filter(predicate).length >= count,
              `${count} SSE message(s)`,
            );
            return messages.filter(predicate);
          },
          close: () => request.destroy(),
          ended: endedPromise,
        });
      },
    );
    request.on('error', reject);
  });
}

function parseBlock(block: string): SseMessage {
  let id: string | null = null;
  let event = 'message';
  const data: string[] = [];
  let retry: number | null = null;
  const comments: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
    else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
  }
  return { id, event, data: data.join('\n'), retry, comments };
}
