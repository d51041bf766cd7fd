/**
 * `GET /api/events`: the live document list as Server-Sent Events (doc-events.ts).
 *
 * - `event: doc`, `id: <n>`, `data: {"name","title","modified","size","deleted","people"}`
 *   for each change; ids increase.
 * - `retry: 3000` first, so browsers reconnect after 3 s; a `: keep-alive` comment every 15 s,
 *   so proxies and load balancers never see an idle stream and close it.
 * - Resuming: `Last-Event-ID` (what EventSource sends on its own when it reconnects), or
 *   `?lastEventId=` for clients that cannot set headers, replays every event after that id
 *   still in the log; an id older than the log (or from before a relay restart) gets
 *   `event: reset` instead, which means "fetch /api/docs again". A shared feed may send a
 *   reset on a live stream too, when it lost events (cluster mode, after a Redis outage).
 * - Secured mode: a token (`?token=`, since EventSource cannot set headers, or
 *   `Authorization: Bearer`) is required, and only documents it may read are sent. The stream
 *   ends when the token expires; the client reconnects with a fresh one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LOCAL_PRINCIPAL } from './admission';
import { docMatches } from './auth';
import { isOpen, principalFor, type AuthenticationPolicy } from './authentication';
import type { DocEvent, EventFeed, FeedEntry } from './doc-events';

export const DEFAULT_KEEP_ALIVE_MS = 15_000;
/** What browsers wait before reconnecting. */
export const RETRY_MS = 3000;

export interface EventsRouteDeps extends AuthenticationPolicy {
  readonly feed: EventFeed;
  /** Default 15 s. */
  readonly keepAliveMs?: number | undefined;
}

/** The SSE route, and `closeAll` for shutdown (streams never end on their own). */
export interface EventsRoute {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  closeAll(): void;
}

export function eventsRoute(deps: EventsRouteDeps): EventsRoute {
  const open = new Set<ServerResponse>();
  const keepAliveMs = deps.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Throws AuthError (401/403) before anything is written; http-routes answers it.
    const principal = await principalFor(request, null, deps, LOCAL_PRINCIPAL);
    const visible = isOpen(deps)
      ? () => true
      : (event: DocEvent) => docMatches(principal.docPattern, event.name);

    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx buffers proxied responses unless told not to; an event must leave at once.
      'x-accel-buffering': 'no',
    });
    response.write(`retry: ${RETRY_MS}\n\n`);
    const send = (entry: FeedEntry): void => {
      if (!visible(entry.event)) return;
      response.write(`id: ${entry.id}\nevent: doc\ndata: ${JSON.stringify(entry.event)}\n\n`);
    };

    // Replay, then live: both run in this one turn, so no event falls between them.
    const after = lastEventId(request);
    if (after !== null) {
      const missed = deps.feed.replay(after);
      if (missed === 'reset') response.write('event: reset\ndata: {}\n\n');
      else for (const entry of missed) send(entry);
    }
    const unsubscribe = deps.feed.subscribe(send, () =>
      response.write('event: reset\ndata: {}\n\n'),
    );
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
    keepAlive.unref();
    const untilExpiry = principal.expiresAt * 1000 - Date.now();
    const expiry = Number.isFinite(untilExpiry)
      ? setTimeout(() => response.end(), Math.max(0, Math.min(untilExpiry, 2 ** 31 - 1)))
      : null;
    expiry?.unref();
    open.add(response);
    response.once('close', () => {
      open.delete(response);
      unsubscribe();
      clearInterval(keepAlive);
      if (expiry) clearTimeout(expiry);
    });
  }

  return {
    handle,
    closeAll() {
      for (const response of open) response.end();
    },
  };
}

/** The id to resume after, from `Last-Event-ID` or `?lastEventId=`; null for a fresh start
 * (or an id that is not a number: that client gets a reset). */
function lastEventId(request: IncomingMessage): number | null {
  const header = request.headers['last-event-id'];
  const given =
    (typeof header === 'string' ? header : undefined) ??
    new URL(request.url ?? '/', 'http://relay').searchParams.get('lastEventId');
  if (given === null || given.trim() === '') return null;
  const id = Number(given);
  return Number.isSafeInteger(id) ? id : -1;
}
