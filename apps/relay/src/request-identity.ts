/**
 * What an HTTP request or WebSocket upgrade says about its sender: the access token it
 * carries, the address it comes from, and whether its Origin may use this relay.
 */
import type { IncomingMessage } from 'node:http';
import { originOfUrl, publicOrigin, type PublicOriginPolicy } from './public-origin';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * The token from `?token=` (what y-websocket's `params` option sends), a
 * `Sec-WebSocket-Protocol` entry shaped like a JWT, or an `Authorization: Bearer` header.
 */
export function tokenFromRequest(request: IncomingMessage): string | null {
  const fromQuery = new URL(request.url ?? '/', 'http://relay').searchParams.get('token');
  if (fromQuery) return fromQuery;
  const protocols = request.headers['sec-websocket-protocol'];
  if (protocols) {
    const entry = protocols
      .split(',')
      .map((part) => part.trim())
      .find((part) => JWT_SHAPE.test(part));
    if (entry) return entry;
  }
  return bearerToken(request);
}

/** The credential of an `Authorization: Bearer` header, or null. */
export function bearerToken(request: IncomingMessage): string | null {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  return null;
}

/**
 * The client's address. `X-Forwarded-For` is only believed when the operator said a proxy is
 * in front (`trustProxy`); then the last entry is the one that proxy saw.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const value = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = value
      ?.split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .pop();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

export interface OriginPolicy extends PublicOriginPolicy {
  /** `WEFT_ALLOWED_ORIGINS`: origins allowed besides the public one; `*` allows any. */
  readonly allowedOrigins: readonly string[] | null;
}

export type OriginCheck =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** What the origin had to be; null when the relay cannot tell (see `publicOrigin`). */
      readonly publicOrigin: string | null;
    };

/**
 * Whether a socket opened from `origin` may use this relay. Browsers always send Origin;
 * other clients need not, and can claim any, so a missing one passes. A browser may connect
 * only from the relay's public origin (the web app it serves, see public-origin.ts) or an
 * allowlisted one, which stops other sites from opening sockets with a visitor's
 * credentials. `origin` is a parameter rather than read from `request` because
 * `/api/access` asks on behalf of the socket a page would open.
 */
export function checkOrigin(
  origin: string | undefined,
  request: IncomingMessage,
  policy: OriginPolicy,
): OriginCheck {
  if (origin === undefined) return { allowed: true };
  const allowed = policy.allowedOrigins ?? [];
  const normalised = originOfUrl(origin);
  const own = publicOrigin(request, policy);
  if (
    allowed.includes('*') ||
    allowed.includes(origin) ||
    (normalised !== null &&
      (normalised === own || allowed.some((entry) => originOfUrl(entry) === normalised)))
  ) {
    return { allowed: true };
  }
  return { allowed: false, publicOrigin: own };
}
