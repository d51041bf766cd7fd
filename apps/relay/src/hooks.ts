/**
 * Lifecycle hooks an embedding application gives `createRelay` (relay.ts). Every hook is
 * optional and may be async; one that throws or rejects is logged and the relay carries on
 * as if it had returned, so an application's bug never takes the relay or a document down.
 *
 * When each is called, and what the relay waits for:
 * - `onLoad`: a document was read from storage, before any client is answered; awaited, so a
 *   hook may fill a new document (what it changes is stored like any edit).
 * - `onConnect` / `onDisconnect`: a WebSocket joined / left a document; not awaited.
 * - `onChange`: the document changed, at most once per `changeDebounceMs` of quiet per
 *   document (and at the latest after `changeMaxWaitMs` of continuous editing); not awaited.
 * - `onStored`: a write batch is durable and the document holds nothing that is not, with
 *   what is now stored (under continuous editing, at the next moment storage catches up).
 * - `onUnload`: the document is leaving memory, after its last write and a pending `onChange`;
 *   awaited (at most `hookTimeoutMs`) before the live copy is destroyed.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Principal } from './auth';

export interface DocumentPayload {
  readonly docName: string;
  /** The live document. Changes made to it are broadcast and stored like any client's. */
  readonly doc: Y.Doc;
}

export interface ConnectionPayload {
  readonly docName: string;
  /** Whom the connection speaks for (its token, the authenticate hook, or local mode). */
  readonly principal: Principal;
  /** The upgrade request (headers, address); its `url` is relative to the relay's path. */
  readonly request: IncomingMessage;
}

export interface StoredPayload extends DocumentPayload {
  /** Everything durably stored for the document, as one Yjs update. */
  readonly state: Uint8Array;
  /** The state vector of `state`. */
  readonly stateVector: Uint8Array;
}

type MaybePromise<T> = T | Promise<T>;

export interface RelayHooks {
  readonly onLoad?: (payload: DocumentPayload) => MaybePromise<void>;
  readonly onConnect?: (payload: ConnectionPayload) => MaybePromise<void>;
  readonly onDisconnect?: (payload: ConnectionPayload) => MaybePromise<void>;
  readonly onChange?: (payload: DocumentPayload) => MaybePromise<void>;
  readonly onStored?: (payload: StoredPayload) => MaybePromise<void>;
  readonly onUnload?: (payload: DocumentPayload) => MaybePromise<void>;
}

export interface HookTimings {
  /** Quiet time after a change before `onChange` runs. Default 1000 ms. */
  readonly changeDebounceMs?: number;
  /** Longest `onChange` waits while a document keeps changing. Default 10 × the debounce. */
  readonly changeMaxWaitMs?: number;
  /** Longest the relay waits for an awaited hook (`onLoad`, `onUnload`). Default 10 s. */
  readonly hookTimeoutMs?: number;
}

interface PendingChange {
  readonly payload: DocumentPayload;
  timer: NodeJS.Timeout;
  readonly firstAt: number;
}

/** Calls an application's hooks safely: caught, logged, debounced, bounded. */
export class HookRunner {
  private readonly pendingChanges = new Map<string, PendingChange>();
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly hooks: RelayHooks,
    timings: HookTimings,
    private readonly log: Logger,
  ) {
    this.debounceMs = timings.changeDebounceMs ?? 1000;
    this.maxWaitMs = timings.changeMaxWaitMs ?? this.debounceMs * 10;
    this.timeoutMs = timings.hookTimeoutMs ?? 10_000;
  }

  /** Awaited: settles when the hook does, or after `hookTimeoutMs`. */
  loaded(payload: DocumentPayload): Promise<void> {
    return this.awaited('onLoad', payload.docName, () => this.hooks.onLoad?.(payload));
  }

  connected(payload: ConnectionPayload): void {
    this.detached('onConnect', payload.docName, () => this.hooks.onConnect?.(payload));
  }

  disconnected(payload: ConnectionPayload): void {
    this.detached('onDisconnect', payload.docName, () => this.hooks.onDisconnect?.(payload));
  }

  /** The document changed: (re)starts its debounce. */
  changed(payload: DocumentPayload): void {
    if (this.hooks.onChange === undefined) return;
    const pending = this.pendingChanges.get(payload.docName);
    const now = performance.now();
    const firstAt = pending?.firstAt ?? now;
    if (pending) clearTimeout(pending.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, firstAt + this.maxWaitMs - now));
    const timer = setTimeout(() => this.fireChange(payload.docName), wait);
    timer.unref();
    this.pendingChanges.set(payload.docName, { payload, timer, firstAt });
  }

  /** Whether an `onStored` hook wants the stored state (encoding it costs a full encode). */
  get wantsStored(): boolean {
    return this.hooks.onStored !== undefined;
  }

  stored(docName: string, doc: Y.Doc): void {
    if (this.hooks.onStored === undefined) return;
    const payload: StoredPayload = {
      docName,
      doc,
      state: Y.encodeStateAsUpdate(doc),
      stateVector: Y.encodeStateVector(doc),
    };
    this.detached('onStored', docName, () => this.hooks.onStored?.(payload));
  }

  /** Runs a pending `onChange` first, then awaits `onUnload`. */
  async unloading(payload: DocumentPayload): Promise<void> {
    if (this.pendingChanges.has(payload.docName)) this.fireChange(payload.docName);
    await this.awaited('onUnload', payload.docName, () => this.hooks.onUnload?.(payload));
  }

  private fireChange(docName: string): void {
    const pending = this.pendingChanges.get(docName);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingChanges.delete(docName);
    this.detached('onChange', docName, () => this.hooks.onChange?.(pending.payload));
  }

  private detached(hook: string, docName: string, call: () => MaybePromise<void>): void {
    void this.run(hook, docName, call);
  }

  private async awaited(
    hook: string,
    docName: string,
    call: () => MaybePromise<void>,
  ): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.log.error({ hook, doc: docName, timeoutMs: this.timeoutMs }, `${hook} hook timed out`);
        resolve();
      }, this.timeoutMs);
    });
    try {
      await Promise.race([this.run(hook, docName, call), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Never rejects: a hook's error is the application's, logged with the hook's name. */
  private async run(hook: string, docName: string, call: () => MaybePromise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.log.error({ err: error, hook, doc: docName }, `${hook} hook failed`);
    }
  }
}

/** Hooks for a relay that has none (the CLI): every call is a no-op. */
export function noHooks(log: Logger): HookRunner {
  return new HookRunner({}, {}, log);
}
