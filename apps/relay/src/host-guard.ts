/**
 * DNS rebinding: why a relay in local mode answers only requests addressed to it by a name
 * that cannot be rebound.
 *
 * In local mode anyone who reaches the relay reads and writes every document, which is safe
 * only while just the person at this machine can reach it. A web page elsewhere cannot: its
 * requests to `http://127.0.0.1:4455` are cross-origin, and the origin rule refuses its
 * sockets. But a page at `http://evil.example:4455` whose DNS name is then rebound to
 * 127.0.0.1 is same-origin with everything the relay serves: it could list and read every
 * document over `/api`, and its sockets would pass the origin rule too, since the public
 * origin comes from `Host` and `Host` says `evil.example:4455`.
 *
 * The browser always sends the name it resolved as `Host`, and a page cannot change it. So in
 * local mode the relay serves a request only when `Host` names something DNS cannot hand to an
 * attacker: an IP address, `localhost` or a name under `.localhost` (which browsers resolve to
 * loopback themselves), the host of `WEFT_PUBLIC_URL`, or a name the operator listed in
 * `WEFT_ALLOWED_HOSTS` (`*`: any, turning the guard off). `X-Forwarded-Host` is never
 * consulted here: a page's own `fetch` may set it. A request without `Host` is not a
 * browser's and passes. In secured mode tokens guard every document, and `Host` is not checked.
 *
 * @example
 *   hostRefusal('evil.example:4455', { localMode: true, publicUrl: null, allowedHosts: null });
 *   // 'host not allowed: evil.example …'
 *   hostRefusal('127.0.0.1:4455', { localMode: true, publicUrl: null, allowedHosts: null });
 *   // null
 */

export interface HostPolicy {
  /** Neither tokens nor an authenticate hook: everyone who reaches the relay may do anything. */
  readonly localMode: boolean;
  /** `WEFT_PUBLIC_URL`: its host is always allowed. */
  readonly publicUrl: string | null;
  /** `WEFT_ALLOWED_HOSTS`: more names that may be in `Host`; `*` allows any. */
  readonly allowedHosts: readonly string[] | null;
}

/** Why a request with this `Host` header is not served, or null when it is. */
export function hostRefusal(host: string | undefined, policy: HostPolicy): string | null {
  if (!policy.localMode || host === undefined) return null;
  const allowed = policy.allowedHosts ?? [];
  if (allowed.includes('*')) return null;
  const name = hostName(host);
  if (name !== null && (cannotBeRebound(name) || isListed(name, policy.publicUrl, allowed))) {
    return null;
  }
  const shown = name ?? JSON.stringify(host);
  return (
    `host not allowed: ${shown}. This relay is in local mode (no access tokens), so it answers ` +
    'only requests addressed to localhost or an IP address, which no other web site can ' +
    'point at it. Open it by one of those, or set WEFT_PUBLIC_URL to the address people ' +
    'open, or list the name in WEFT_ALLOWED_HOSTS.'
  );
}

/** The lower-cased name of `name[:port]` or `[v6]:port`, or null when it is not one. */
function hostName(host: string): string | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/i.exec(host.trim());
  return match?.[1]?.toLowerCase() ?? null;
}

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;

function cannotBeRebound(name: string): boolean {
  return (
    IPV4.test(name) || name.startsWith('[') || name === 'localhost' || name.endsWith('.localhost')
  );
}

function isListed(name: string, publicUrl: string | null, allowed: readonly string[]): boolean {
  if (publicUrl !== null && URL.canParse(publicUrl)) {
    if (new URL(publicUrl).hostname.toLowerCase() === name) return true;
  }
  return allowed.some((entry) => entry.toLowerCase() === name);
}
