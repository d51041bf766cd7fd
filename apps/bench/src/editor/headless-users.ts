/**
 * The other people in a busy document: headless Yjs clients on the official y-websocket
 * provider (so their presence is real awareness traffic), each moving its cursor every 200 ms
 * and now and then typing a word at it. They stay off the first line, where the benchmark's
 * typist types and the probes watch.
 */
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { seededRandom } from '../relay/random';

export interface HeadlessUsersOptions {
  readonly wsUrl: string;
  readonly doc: string;
  readonly count: number;
  readonly seed: number;
  /** Cursor moves per user (default every 200 ms). */
  readonly moveEveryMs?: number;
  /** Chance that a move also types a word (default 0.1: about every 2 s per user). */
  readonly typeChance?: number;
}

const COLORS = ['#e15759', '#4e79a7', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948'];
const WORDS = ['weft ', 'warp ', 'loom ', 'thread ', 'twill '];

export class HeadlessUsers {
  /** Words the users typed (each one transaction). */
  typed = 0;
  private readonly timers: ReturnType<typeof setInterval>[] = [];

  private constructor(private readonly providers: readonly WebsocketProvider[]) {}

  static async join(options: HeadlessUsersOptions): Promise<HeadlessUsers> {
    // y-websocket 2 adds a process 'exit' listener per provider in Node; many are expected.
    process.setMaxListeners(Math.max(process.getMaxListeners(), 4 * options.count + 16));
    const providers = Array.from({ length: options.count }, () => {
      const provider = new WebsocketProvider(options.wsUrl, options.doc, new Y.Doc(), {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      });
      return provider;
    });
    await Promise.all(providers.map(synced));
    const users = new HeadlessUsers(providers);
    users.start(options);
    return users;
  }

  private start(options: HeadlessUsersOptions): void {
    const random = seededRandom(options.seed);
    this.providers.forEach((provider, i) => {
      const color = COLORS[i % COLORS.length] ?? '#6b665e';
      provider.awareness.setLocalStateField('user', {
        name: `Reader ${i + 1}`,
        color,
        colorLight: `${color}33`,
      });
      const text = provider.doc.getText('content');
      const step = (): void => {
        // The second half of the document: far from the first line, whatever its length.
        const length = text.length;
        const index = Math.floor(length / 2 + random() * (length / 2));
        if (random() < (options.typeChance ?? 0.1)) {
          text.insert(index, WORDS[Math.floor(random() * WORDS.length)] ?? 'x ');
          this.typed++;
        }
        // Stored as the relative position itself, which JSON-encodes as the binding expects.
        const position: unknown = Y.createRelativePositionFromTypeIndex(text, index);
        provider.awareness.setLocalStateField('cursor', { anchor: position, head: position });
      };
      // Spread the users over the interval, as people are.
      const every = options.moveEveryMs ?? 200;
      const offset = Math.floor((every * i) / this.providers.length);
      this.timers.push(setTimeout(() => this.timers.push(setInterval(step, every)), offset));
    });
  }

  leave(): void {
    for (const timer of this.timers) clearInterval(timer);
    for (const provider of this.providers) {
      provider.awareness.setLocalState(null);
      provider.destroy();
      // The awareness's own timer stops only with its document.
      provider.doc.destroy();
    }
  }
}

function synced(provider: WebsocketProvider): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`headless user in ${provider.roomname}: not synced within 30 s`));
    }, 30_000);
    provider.once('sync', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
