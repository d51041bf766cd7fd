/**
 * The list page's live feed: one `EventSource` on `/api/events` per access token (secured
 * mode; the token goes in `?token=` because EventSource cannot set headers), or one without
 * (local mode). The browser reconnects on its own after a drop, sending `Last-Event-ID`, so
 * the relay replays what was missed; a `reset` (too much missed) asks for the list again.
 */
import { parseDocEvent, type DocEvent } from '@weft/protocol';

export interface LiveDocHandlers {
  readonly onEvent: (event: DocEvent) => void;
  /** The relay could not replay what was missed: fetch `/api/docs` again. */
  readonly onReset: () => void;
}

/** Starts listening; returns the stop. Without EventSource (old browsers) it does nothing. */
export function listenForDocEvents(tokens: readonly string[], handlers: LiveDocHandlers) {
  if (typeof EventSource === 'undefined') return () => undefined;
  const urls =
    tokens.length === 0
      ? ['/api/events']
      : tokens.map((token) => `/api/events?token=${encodeURIComponent(token)}`);
  const sources = urls.map((url) => {
    const source = new EventSource(url);
    source.addEventListener('doc', (message) => {
      const event = parseDocEvent(String((message as MessageEvent<unknown>).data));
      if (event !== null) handlers.onEvent(event);
    });
    source.addEventListener('reset', handlers.onReset);
    return source;
  });
  return () => {
    for (const source of sources) source.close();
  };
}
