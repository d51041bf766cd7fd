/**
 * What an HTTP request or WebSocket upgrade says about its sender: the access token it
 * carries, the address it comes from, and whether its Origin may use this relay.
 */
import type { IncomingMessage } from 'node:http';

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

/**
 * Browsers always send Origin; other clients need not. With no allowlist configured, a
 * browser may connect only from the relay's own origin (the served web app), which stops
 * other sites from opening sockets with a visitor's credentials.
 */
export function originAllowed(
  request: IncomingMessage,
  allowedOrigins: readonly string[] | null,
): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins !== null)
    return allowedOrigins.includes(origin) || allowedOrigins.includes('*');
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
