/**
 * An official, unmodified y-websocket client in Node (through `ws`), optionally opted in to
 * Weft's saved acknowledgements so a test can tell exactly which edits the relay has
 * confirmed as durably stored.
 */
import { covers, encodeSavedOptIn, MessageType, readSavedBody } from '@weft/protocol';
import type * as decoding from 'lib0/decoding';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { waitUntil } from './wait';

export interface YjsClientOptions {
  /** Opt in to saved acknowledgements (message type 100). Default true. */
  readonly savedAcks?: boolean;
  /** Upper bound of y-websocket's reconnect backoff. Default 200 ms (fast tests). */
  readonly maxBackoffTime?: number;
  /** URL query parameters, e.g. `{ token }`. */
  readonly params?: Record<string, string>;
  /** WebSocket subprotocols to offer. */
  readonly protocols?: string[];
  /** The WebSocket class to use, e.g. a FlakyNetwork's. Default: `ws`. */
  readonly WebSocket?: typeof globalThis.WebSocket;
}

export interface YjsClient {
  readonly doc: Y.Doc;
  readonly text: Y.Text;
  readonly provider: WebsocketProvider;
  /** The latest acknowledged stored state vector, or null before the first acknowledgement. */
  readonly acknowledged: ReadonlyMap<number, number> | null;
  /** Number of type-100 frames received. */
  readonly ackFrames: number;
  /** True when the acknowledged vector covers every operation this client holds. */
  isSaved(): boolean;
  destroy(): void;
}

type Handler = (encoder: unknown, decoder: decoding.Decoder) => void;

/** Connects to `ws://…/<docName>` on the relay whose base URL is `relayUrl` (ws:// or http://). */
export function connectYjsClient(
  relayUrl: string,
  docName: string,
  options: YjsClientOptions = {},
): YjsClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(relayUrl.replace(/^http/, 'ws'), docName, doc, {
    WebSocketPolyfill: options.WebSocket ?? (WebSocket as unknown as typeof globalThis.WebSocket),
    disableBc: true,
    maxBackoffTime: options.maxBackoffTime ?? 200,
    params: options.params ?? {},
    protocols: options.protocols ?? [],
  });
  let acknowledged: Map<number, number> | null = null;
  let ackFrames = 0;
  const handlers = provider.messageHandlers as Handler[];
  handlers[MessageType.saved] = (_encoder, decoder) => {
    ackFrames++;
    acknowledged = readSavedBody(decoder);
  };
  if (options.savedAcks ?? true) {
    provider.on('status', ({ status }) => {
      if (status === 'connected') provider.ws?.send(encodeSavedOptIn());
    });
  }
  return {
    doc,
    text: doc.getText('content'),
    provider,
    get acknowledged() {
      return acknowledged;
    },
    get ackFrames() {
      return ackFrames;
    },
    isSaved() {
      return (
        acknowledged !== null && covers(acknowledged, Y.decodeStateVector(Y.encodeStateVector(doc)))
      );
    },
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The code and reason of the next close of `client`'s socket. */
export function nextClose(client: YjsClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    // Typed by shape: not every package that loads the testkit has the DOM's CloseEvent.
    client.provider.once('connection-close', (event: { code: number; reason: string } | null) => {
      resolve({ code: event?.code ?? 0, reason: event?.reason ?? '' });
    });
  });
}

/** Once `client` is synced, appends `text` to its document and waits until it is saved. */
export async function typeAndSave(client: YjsClient, text: string): Promise<void> {
  await waitUntil(() => client.provider.synced, 'the client is synced');
  client.text.insert(client.text.length, text);
  await waitUntil(() => client.isSaved(), 'the edit is saved');
}
