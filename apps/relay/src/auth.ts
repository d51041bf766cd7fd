/**
 * Access tokens: HS256 JWTs signed with the relay's secret.
 *
 * Claims: `sub` (user id), optional `name`, `doc` (an exact document name, or a prefix ending
 * in `*`), `role` (`read` or `write`), `exp` (required: every token expires).
 */
import { SignJWT, errors, jwtVerify } from 'jose';

export type Role = 'read' | 'write';

/** Who a verified token speaks for, and what it allows. */
export interface Principal {
  readonly userId: string;
  readonly name: string | null;
  /** Exact document name, or a prefix ending in `*`. */
  readonly docPattern: string;
  readonly role: Role;
  /** Seconds since the epoch when the token stops being valid. */
  readonly expiresAt: number;
  /** The token's `jti`, by which it can be revoked; null or absent when it has none. */
  readonly tokenId?: string | null;
  /** The token's `iat` (seconds since the epoch); null or absent when it has none. */
  readonly issuedAt?: number | null;
}

/** What tokens are checked against: the HS256 secret's bytes (see `secretKey`). */
export type AuthKey = Uint8Array;

/** Why a token was refused; `status` is the HTTP status to answer with. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** The shortest secret accepted: HS256 keys shorter than the hash are guessable. */
export const MIN_SECRET_LENGTH = 32;

export function secretKey(secret: string): Uint8Array {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the auth secret must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  return new TextEncoder().encode(secret);
}

/** True when `pattern` (exact name or `prefix*`) grants access to `docName`. */
export function docMatches(pattern: string, docName: string): boolean {
  return pattern.endsWith('*') ? docName.startsWith(pattern.slice(0, -1)) : pattern === docName;
}

/** Verifies signature, expiry and claim shapes. Throws AuthError(401) when any is wrong. */
export async function verifyToken(token: string, key: Uint8Array): Promise<Principal> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AuthError(401, 'token expired');
    throw new AuthError(401, 'invalid token');
  }
  const { sub, name, doc, role, exp } = payload;
  if (typeof sub !== 'string' || sub === '') throw new AuthError(401, 'token has no subject');
  if (typeof doc !== 'string' || doc === '') {
    throw new AuthError(401, 'token names no document');
  }
  if (role !== 'read' && role !== 'write') throw new AuthError(401, 'token has no valid role');
  if (name !== undefined && typeof name !== 'string')
    throw new AuthError(401, 'token name is not text');
  return {
    userId: sub,
    name: name ?? null,
    docPattern: doc,
    role,
    expiresAt: exp ?? 0,
  };
}

/** Verifies `token` and checks it grants `docName`. Throws AuthError (401 or 403). */
export async function authorize(
  token: string | null,
  key: Uint8Array,
  docName: string,
): Promise<Principal> {
  if (token === null || token === '') throw new AuthError(401, 'missing token');
  const principal = await verifyToken(token, key);
  if (!docMatches(principal.docPattern, docName)) {
    throw new AuthError(403, 'token does not grant this document');
  }
  return principal;
}

export interface TokenRequest {
  readonly userId: string;
  readonly name?: string;
  readonly doc: string;
  readonly role: Role;
  readonly ttlSeconds: number;
}

export async function signToken(request: TokenRequest, key: Uint8Array): Promise<string> {
  const claims: Record<string, string> = { doc: request.doc, role: request.role };
  if (request.name !== undefined) claims.name = request.name;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + request.ttlSeconds)
    .sign(key);
}
