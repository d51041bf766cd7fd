/**
 * The keys tokens are checked against, from what the operator configured: the HS256 secret,
 * a PEM public key file, a JWKS file, the issuer and audience to require, the clock skew
 * allowed, and the revocation list. A file that is missing, unreadable, of the wrong kind or
 * holding a private key is a ConfigError naming the variable, at start.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { secretKey, type TokenKeys } from './auth';
import { ConfigError } from './config-error';
import type { Revocations } from './revocations';

export interface TokenKeySources {
  readonly authSecret: string | null;
  readonly authPublicKeyFile: string | null;
  readonly authJwksFile: string | null;
  readonly authIssuer: string | null;
  readonly authAudience: string | null;
  readonly authClockSkewSeconds: number;
}

/** True when any way of checking tokens is configured (secured mode). */
export function tokensConfigured(sources: TokenKeySources): boolean {
  return (
    sources.authSecret !== null ||
    sources.authPublicKeyFile !== null ||
    sources.authJwksFile !== null
  );
}

/** TokenKeys for `sources`, or null when none are configured (local mode). */
export function tokenKeysFrom(
  sources: TokenKeySources,
  revocations: Revocations | null,
): TokenKeys | null {
  if (!tokensConfigured(sources)) return null;
  return {
    secret: sources.authSecret === null ? null : secretKey(sources.authSecret),
    publicKey: sources.authPublicKeyFile === null ? null : readPublicKey(sources.authPublicKeyFile),
    jwks: sources.authJwksFile === null ? null : createLocalJWKSet(readJwks(sources.authJwksFile)),
    issuer: sources.authIssuer,
    audience: sources.authAudience,
    clockToleranceSeconds: sources.authClockSkewSeconds,
    revocations,
  };
}

function readText(file: string, variable: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ConfigError(`${variable}: cannot read ${file} (${reason})`);
  }
}

/** A PEM public key; a private key is refused, since the relay must never hold one. */
export function readPublicKey(file: string): KeyObject {
  const variable = 'WEFT_AUTH_PUBLIC_KEY_FILE';
  const pem = readText(file, variable);
  if (pem.includes('PRIVATE KEY')) {
    throw new ConfigError(
      `${variable}: ${file} holds a private key; give the relay only the public key ` +
        '(openssl pkey -in private.pem -pubout)',
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new ConfigError(`${variable}: ${file} is not a PEM public key`);
  }
  const type = key.asymmetricKeyType;
  if (type !== 'ec' && type !== 'ed25519' && type !== 'rsa') {
    throw new ConfigError(
      `${variable}: ${file} is a ${type ?? 'unknown'} key; ES256 (P-256), EdDSA (Ed25519) and RS256 (RSA) keys work`,
    );
  }
  return key;
}

/** A JWKS of public keys. */
export function readJwks(file: string): JSONWebKeySet {
  const variable = 'WEFT_AUTH_JWKS_FILE';
  let value: unknown;
  try {
    value = JSON.parse(readText(file, variable));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${variable}: ${file} is not JSON`);
  }
  const keys: unknown = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new ConfigError(`${variable}: ${file} must be a JWKS: { "keys": [ … ] }, with keys`);
  }
  for (const key of keys as unknown[]) {
    if (
      typeof key !== 'object' ||
      key === null ||
      typeof (key as { kty?: unknown }).kty !== 'string'
    ) {
      throw new ConfigError(`${variable}: every key in ${file} needs a "kty"`);
    }
    if ('d' in key) {
      throw new ConfigError(
        `${variable}: ${file} holds a private key ("d"); give the relay only public keys`,
      );
    }
  }
  return value as JSONWebKeySet;
}
