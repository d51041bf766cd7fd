/**
 * Access tokens as the client sees them. In secured mode the relay only lets in a socket
 * (or an `/api/*` request) that carries a valid HS256 JWT with the claims `sub`, optional
 * `name`, `doc` (an exact document name, or a prefix ending in `*`), `role` (`read` or
 * `write`) and `exp`.
 *
 * The client decodes the payload only to know what the token grants (which documents, which
 * role, until when) so the editor can be read-only and the user can be asked for a fresh
 * link in time. It never verifies the signature: it has no secret, and the relay verifies
 * every token itself — a forged or edited token gains nothing but a refusal.
 */

export type AccessRole = 'read' | 'write';

export interface AccessClaims {
  /** The user id the token was issued to. */
  readonly sub: string;
  readonly name: string | null;
  /** Exact document name, or a prefix ending in `*`. */
  readonly doc: string;
  readonly role: AccessRole;
  /** Seconds since the epoch when the token stops being valid. */
  readonly exp: number;
}

/** Three base64url parts: header, payload, signature. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The claims of `token`, or null when it is not a JWT carrying every claim Weft needs. */
export function decodeAccessToken(token: string): AccessClaims | null {
  if (!JWT_SHAPE.test(token)) return null;
  const payload = token.split('.')[1] ?? '';
  let value: unknown;
  try {
    value = JSON.parse(decodeBase64Url(payload));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { sub, name, doc, role, exp } = value as Record<string, unknown>;
  if (typeof sub !== 'string' || sub === '') return null;
  if (name !== undefined && typeof name !== 'string') return null;
  if (typeof doc !== 'string' || doc === '') return null;
  if (role !== 'read' && role !== 'write') return null;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  return { sub, name: name ?? null, doc, role, exp };
}

function decodeBase64Url(text: string): string {
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * True when `pattern` (an exact name, or a prefix ending in `*`) grants `docName`: the same
 * rule the relay applies.
 */
export function docPatternMatches(pattern: string, docName: string): boolean {
  return pattern.endsWith('*') ? docName.startsWith(pattern.slice(0, -1)) : pattern === docName;
}

/** True once `claims.exp` has passed at `nowMs` (epoch milliseconds). */
export function isExpired(claims: AccessClaims, nowMs: number = Date.now()): boolean {
  return claims.exp * 1000 <= nowMs;
}

/**
 * Splits the `token` parameter off a URL fragment (`#token=…`, possibly among other
 * `key=value` pairs). Returns the token (null when there is none) and the fragment to keep
 * (`''`, or `#` followed by the other parameters).
 */
export function takeTokenFromFragment(hash: string): {
  readonly token: string | null;
  readonly fragment: string;
} {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!/(^|&)token=/.test(raw)) return { token: null, fragment: hash };
  const params = new URLSearchParams(raw);
  const token = params.get('token');
  params.delete('token');
  const rest = params.toString();
  return { token: token === null || token === '' ? null : token, fragment: rest ? `#${rest}` : '' };
}

/**
 * The token in what a user pasted: a whole share link (`https://host/d/name#token=…`), a
 * fragment or `token=…` pair, or a bare token. Null when there is none.
 */
export function tokenFromText(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (JWT_SHAPE.test(trimmed)) return trimmed;
  const hashAt = trimmed.indexOf('#');
  const fragment = hashAt === -1 ? trimmed : trimmed.slice(hashAt);
  const { token } = takeTokenFromFragment(fragment);
  if (token !== null && JWT_SHAPE.test(token)) return token;
  // Some links arrive with the token as a query parameter (e.g. rewritten by a chat app).
  try {
    const fromQuery = new URL(trimmed).searchParams.get('token');
    if (fromQuery !== null && JWT_SHAPE.test(fromQuery)) return fromQuery;
  } catch {
    // Not a URL.
  }
  return null;
}
