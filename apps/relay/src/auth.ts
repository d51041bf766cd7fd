/**
 * Access tokens: JWTs signed with the relay's HS256 secret, or with a private key the relay
 * never sees (ES256, EdDSA or RS256), checked against a PEM public key or a JWKS whose key is
 * chosen by the token's `kid` (so keys can rotate with several valid at once).
 *
 * Claims: `sub` (user id), optional `name`, `doc` (an exact document name, or a prefix ending
 * in `*`), `role` (`read` or `write`), `exp` (required: every token expires); `iss` and `aud`
 * when the relay is configured to check them; `jti` and `iat`, by which a token, or all of a
 * user's tokens issued before a time, can be revoked (revocations.ts).
 */
import type { KeyObject } from 'node:crypto';
import { SignJWT, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

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

/** The asymmetric algorithms a public key or JWKS may verify. */
export const PUBLIC_KEY_ALGORITHMS = ['ES256', 'EdDSA', 'RS256'] as const;

/** What tokens are checked against, beyond the HS256 secret alone. */
export interface TokenKeys {
  /** HS256 secret bytes (see `secretKey`), or null to accept no HS256 token. */
  readonly secret: Uint8Array | null;
  /** A public key (from PEM) for ES256, EdDSA or RS256 tokens. */
  readonly publicKey: KeyObject | null;
  /** Keys of a JWKS, chosen by the token's `kid` (jose's `createLocalJWKSet`). */
  readonly jwks: JWTVerifyGetKey | null;
  /** Required `iss`, when set. */
  readonly issuer: string | null;
  /** Required `aud` (one of its values), when set. */
  readonly audience: string | null;
  /** Seconds of clock difference allowed on `exp`, `nbf` and `iat`. */
  readonly clockToleranceSeconds: number;
  /** Tokens refused before they expire; null: none can be revoked. */
  readonly revocations: RevocationCheck | null;
}

/** What verification asks of the revocation list (revocations.ts). */
export interface RevocationCheck {
  isRevoked(principal: Principal): boolean;
}

/**
 * What tokens are checked against: the HS256 secret's bytes (see `secretKey`), the shape the
 * CLI used before public keys and tests still pass, or TokenKeys.
 */
export type AuthKey = Uint8Array | TokenKeys;

/** TokenKeys for an HS256 secret alone. */
export function secretOnly(secret: Uint8Array): TokenKeys {
  return {
    secret,
    publicKey: null,
    jwks: null,
    issuer: null,
    audience: null,
    clockToleranceSeconds: 0,
    revocations: null,
  };
}

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

/**
 * Verifies signature, expiry, issuer, audience, claim shapes and revocation. Throws
 * AuthError(401) when any is wrong.
 */
export async function verifyToken(token: string, key: AuthKey): Promise<Principal> {
  const keys = key instanceof Uint8Array ? secretOnly(key) : key;
  const asymmetric = keys.publicKey !== null || keys.jwks !== null;
  const algorithms = [
    ...(keys.secret === null ? [] : ['HS256']),
    ...(asymmetric ? PUBLIC_KEY_ALGORITHMS : []),
  ];
  // Each algorithm only ever meets its own kind of key: an HS256 token is never checked
  // against a public key's bytes (the classic algorithm-confusion forgery).
  const keyFor: JWTVerifyGetKey = async (header, input) => {
    if (header.alg === 'HS256') {
      if (keys.secret === null) throw new AuthError(401, 'invalid token');
      return keys.secret;
    }
    if (keys.jwks !== null) return keys.jwks(header, input);
    if (keys.publicKey !== null) return keys.publicKey;
    throw new AuthError(401, 'invalid token');
  };
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keyFor, {
      algorithms,
      requiredClaims: ['sub', 'exp'],
      clockTolerance: keys.clockToleranceSeconds,
      ...(keys.issuer === null ? {} : { issuer: keys.issuer }),
      ...(keys.audience === null ? {} : { audience: keys.audience }),
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AuthError(401, 'token expired');
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'iss') {
      throw new AuthError(401, 'token is from another issuer');
    }
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
      throw new AuthError(401, 'token is for another audience');
    }
    throw new AuthError(401, 'invalid token');
  }
  const { sub, name, doc, role, exp, jti, iat } = payload;
  if (typeof sub !== 'string' || sub === '') throw new AuthError(401, 'token has no subject');
  if (typeof doc !== 'string' || doc === '') {
    throw new AuthError(401, 'token names no document');
  }
  if (role !== 'read' && role !== 'write') throw new AuthError(401, 'token has no valid role');
  if (name !== undefined && typeof name !== 'string')
    throw new AuthError(401, 'token name is not text');
  const principal: Principal = {
    userId: sub,
    name: name ?? null,
    docPattern: doc,
    role,
    expiresAt: exp ?? 0,
    tokenId: typeof jti === 'string' && jti !== '' ? jti : null,
    issuedAt: typeof iat === 'number' ? iat : null,
  };
  if (keys.revocations?.isRevoked(principal)) throw new AuthError(401, 'token revoked');
  return principal;
}

/** Verifies `token` and checks it grants `docName`. Throws AuthError (401 or 403). */
export async function authorize(
  token: string | null,
  key: AuthKey,
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
  /** `jti`, so that this one token can be revoked. */
  readonly tokenId?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

/** A private key to sign with, its algorithm, and the `kid` a JWKS knows its public half by. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly alg: (typeof PUBLIC_KEY_ALGORITHMS)[number];
  readonly kid?: string;
}

/** Signs with the HS256 secret (Uint8Array) or a private key. */
export async function signToken(
  request: TokenRequest,
  key: Uint8Array | SigningKey,
): Promise<string> {
  const claims: Record<string, string> = { doc: request.doc, role: request.role };
  if (request.name !== undefined) claims.name = request.name;
  const header =
    key instanceof Uint8Array
      ? { alg: 'HS256', typ: 'JWT' }
      : { alg: key.alg, typ: 'JWT', ...(key.kid === undefined ? {} : { kid: key.kid }) };
  let jwt = new SignJWT(claims)
    .setProtectedHeader(header)
    .setSubject(request.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + request.ttlSeconds);
  if (request.tokenId !== undefined) jwt = jwt.setJti(request.tokenId);
  if (request.issuer !== undefined) jwt = jwt.setIssuer(request.issuer);
  if (request.audience !== undefined) jwt = jwt.setAudience(request.audience);
  return jwt.sign(key instanceof Uint8Array ? key : key.privateKey);
}
