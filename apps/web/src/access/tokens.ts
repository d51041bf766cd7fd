/**
 * The access tokens of this browser (secured mode): taken from share links, kept, and handed
 * to the relay connection and to the document list's `/api/docs` requests.
 *
 * Where they are kept, and why: in localStorage, one token per document pattern (an exact
 * name, or a prefix ending in `*`), as a small JSON list (see `AccessTokenStore`).
 * - Not only in memory or sessionStorage: a share link is usually opened once, from a chat
 *   or an email. Weft is offline-first — the document stays in IndexedDB and the app opens
 *   from the service worker — so the access must survive reloads, new tabs and browser
 *   restarts too, or reopening the document would ask for the link again.
 * - Per pattern, and only sent where it applies: a token goes only to the relay for the
 *   documents its pattern grants (and, for the list, as `Authorization: Bearer` to this
 *   origin's `/api/docs`). A fresh link for the same pattern replaces the old one.
 * - Not a cookie: a cookie would ride along on every request to the origin, including ones
 *   other sites trigger; a token the app attaches itself cannot be used that way.
 * - Never left in the address bar: the fragment is removed at once (history.replaceState),
 *   so it does not end up in the history, bookmarks, screenshots or a link copied with
 *   "Share". Fragments are never sent to servers or in Referer headers either.
 * The cost: a script injected into this origin could read the tokens — as it could read the
 * documents themselves from IndexedDB. Tokens expire (`exp` is required), which bounds that.
 */
import { AccessTokenStore, takeTokenFromFragment, type AccessVerdict } from '@weft/client';
import { safeStorage } from '../lib/safe-storage';
import { verdictFromAnswer } from './access-answer';

let store: AccessTokenStore | null = null;

export function accessTokens(): AccessTokenStore {
  if (store === null) {
    const tokens = new AccessTokenStore(safeStorage());
    window.addEventListener('storage', (event) => {
      if (event.key === tokens.storageKey || event.key === null) tokens.reload();
    });
    store = tokens;
  }
  return store;
}

/**
 * Takes a `#token=…` from the address into the store and removes it from the visible URL.
 * Called before the first render, and again when only the fragment changes (a new share link
 * for the page already open, pasted into the address bar, does not reload the page).
 */
export function captureTokenFromLocation(): void {
  const { token, fragment } = takeTokenFromFragment(window.location.hash);
  if (token === null) return;
  accessTokens().add(token);
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}${fragment}`);
}

export function watchLocationForTokens(): void {
  window.addEventListener('hashchange', captureTokenFromLocation);
}

/**
 * Asks the relay whether it would refuse a socket this page opens for `docName` with `token`
 * (or, for null, whether it needs a token at all), and why. A browser cannot see the HTTP
 * status of a refused WebSocket upgrade, so after a failed attempt the session asks
 * `/api/access/<doc>`, which checks what the upgrade checks. A same-origin fetch carries no
 * Origin header, so the page says which origin its socket comes from.
 */
export async function checkAccess(
  token: string | null,
  docName: string,
  origin: string = window.location.origin,
): Promise<AccessVerdict> {
  try {
    const query = new URLSearchParams({ origin });
    const response = await fetch(`/api/access/${encodeURIComponent(docName)}?${query.toString()}`, {
      cache: 'no-store',
      headers: token === null ? {} : { Authorization: `Bearer ${token}` },
    });
    const body: unknown = await response.json().catch(() => null);
    return verdictFromAnswer(response.status, body, origin);
  } catch {
    return 'unknown';
  }
}
