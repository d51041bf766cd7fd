/**
 * The relay's public origin: the scheme, host and port browsers reach it at. A browser's
 * `Origin` must equal it (or be allowlisted) to open a socket, which is what stops other
 * sites' pages from opening sockets with a visitor's credentials.
 *
 * Where it comes from, first match wins:
 * 1. `WEFT_PUBLIC_URL` / `--public-url`: the operator said it, so no header is believed.
 * 2. With `--trust-proxy`: what the proxy says the browser asked for, from RFC 7239
 *    `Forwarded` (`host=`, `proto=`), then `X-Forwarded-Host` / `X-Forwarded-Proto`, with
 *    `Host` for a missing host and `http` for a missing scheme.
 * 3. Otherwise `Host`, over `http` (the relay itself speaks plain HTTP).
 *
 * @example
 *   publicOrigin(request, { publicUrl: 'https://weft.example.com/', trustProxy: false });
 *   // 'https://weft.example.com'
 */
import type { IncomingMessage } from 'node:http';

export interface PublicOriginPolicy {
  /** The URL browsers reach the relay at (`WEFT_PUBLIC_URL`); only its origin matters. */
  readonly publicUrl: string | null;
  /** A reverse proxy is in front, so its forwarded headers are believed. */
  readonly trustProxy: boolean;
}

/**
 * The origin browsers use for this request's relay, or null when it cannot be told (no
 * usable Host, or a forwarded value that is not a host or scheme): then no browser origin
 * matches, which refuses rather than guesses.
 */
export function publicOrigin(request: IncomingMessage, policy: PublicOriginPolicy): string | null {
  if (policy.publicUrl !== null) return originOfUrl(policy.publicUrl);
  const host = request.headers.host;
  if (!policy.trustProxy) return host === undefined ? null : originOf('http', host);
  const forwarded = firstForwardedElement(request.headers.forwarded);
  const forwardedHost = forwarded.get('host') ?? firstValue(request.headers['x-forwarded-host']);
  const forwardedProto = forwarded.get('proto') ?? firstValue(request.headers['x-forwarded-proto']);
  const chosenHost = forwardedHost ?? host;
  if (chosenHost === undefined) return null;
  return originOf(forwardedProto ?? 'http', chosenHost);
}

/** `https://weft.example.com` for `https://weft.example.com/any/path`; null for non-HTTP(S). */
export function originOfUrl(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
}

/** A host name, IPv4 address or bracketed IPv6 address, with an optional port. */
const HOST_SHAPE = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;

/**
 * The origin for a scheme and `host[:port]` as a header gave them. Proxies that speak for the
 * socket rather than the page may say `ws`/`wss` (Traefik does); the page's origin is then
 * `http`/`https`. Anything that is not plainly a host (a path, credentials, spaces) is refused.
 */
function originOf(scheme: string, host: string): string | null {
  const pageScheme = { http: 'http', https: 'https', ws: 'http', wss: 'https' }[
    scheme.toLowerCase()
  ];
  if (pageScheme === undefined || !HOST_SHAPE.test(host)) return null;
  return originOfUrl(`${pageScheme}://${host}`);
}

/**
 * The first value of a comma-separated header such as `X-Forwarded-Host: a, b`.
 *
 * Why the first: each proxy in a chain that appends adds the host it was asked for, so the
 * first entry is what the browser-facing proxy saw, the only host the page's Origin can name;
 * later entries are internal hops. nginx's `proxy_set_header` (deploy/nginx.conf) replaces the
 * header instead, so with one proxy there is exactly one entry. Taking the first cannot help
 * an attacker: the origin rule defends browsers, a browser's WebSocket cannot set these
 * headers, and a client that can set them can send any Origin it likes anyway. (Addresses
 * are the opposite case: `clientAddress` takes the last X-Forwarded-For entry, the one
 * the proxy wrote, because a rate limit must not believe what a client claims.)
 */
function firstValue(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  const first = joined?.split(',')[0]?.trim();
  return first === undefined || first === '' ? undefined : first;
}

/**
 * The parameters of the first element of an RFC 7239 `Forwarded` header (the hop nearest the
 * browser, for the reason given at `firstValue`), keys lower-cased, quoted values unquoted.
 * `Forwarded: for=192.0.2.1;proto=https;host="weft.example.com:8443", for=10.0.0.2` gives
 * `proto → https, host → weft.example.com:8443, for → 192.0.2.1`. Malformed text gives what
 * parsed before it.
 */
export function firstForwardedElement(
  header: string | string[] | undefined,
): ReadonlyMap<string, string> {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const pairs = new Map<string, string>();
  let at = 0;
  while (at < text.length) {
    while (at < text.length && ' \t;'.includes(text.charAt(at))) at++;
    if (at >= text.length || text.charAt(at) === ',') break;
    const equals = text.indexOf('=', at);
    if (equals === -1) break;
    const key = text.slice(at, equals).trim().toLowerCase();
    at = equals + 1;
    let value = '';
    if (text.charAt(at) === '"') {
      at++;
      while (at < text.length && text.charAt(at) !== '"') {
        // quoted-pair: a backslash escapes the next character.
        if (text.charAt(at) === '\\') at++;
        value += text.charAt(at);
        at++;
      }
      at++;
    } else {
      while (at < text.length && !';,'.includes(text.charAt(at))) value += text.charAt(at++);
      value = value.trim();
    }
    // A repeated parameter makes the element invalid (RFC 7239 §4); keep the first.
    if (key !== '' && !pairs.has(key)) pairs.set(key, value);
  }
  return pairs;
}
