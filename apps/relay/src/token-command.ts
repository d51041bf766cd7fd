/**
 * `pnpm weft token --doc <name|prefix*> --role read|write --ttl 1h`: prints a signed access
 * token and a ready-to-share link (the web app reads the token from the URL fragment, which
 * browsers never send to servers or put in Referer headers). Signs with the relay's secret
 * (`WEFT_AUTH_SECRET`), or with `--private-key-file key.pem` (ES256, EdDSA or RS256, chosen
 * by the key; `--kid` names it for a JWKS). Every token gets a `jti`, printed, to revoke it by;
 * `iss` and `aud` come from `--iss`/`--aud` or `WEFT_AUTH_ISSUER`/`WEFT_AUTH_AUDIENCE`.
 */
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { docNameProblem } from '@weft/protocol';
import { signToken, secretKey, type Role, type SigningKey } from './auth';
import { ConfigError } from './config';

/** Parses `90`, `30s`, `15m`, `1h`, `7d` into seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match?.[1])
    throw new ConfigError(`--ttl must look like 90, 30s, 15m, 1h or 7d, got "${text}"`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] ?? ''] ?? 1;
  const seconds = Number(match[1]) * unit;
  if (seconds <= 0) throw new ConfigError('--ttl must be positive');
  return seconds;
}

export interface TokenOutput {
  readonly token: string;
  readonly url: string;
  /** The token's `jti`, for `POST /api/admin/revocations`. */
  readonly tokenId: string;
}

/** A PEM private key and the algorithm its type signs with. */
export function readSigningKey(file: string, kid: string | undefined): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'not a key';
    throw new ConfigError(
      `--private-key-file: cannot use ${file} as a PEM private key (${reason})`,
    );
  }
  const type = privateKey.asymmetricKeyType;
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  const alg =
    type === 'ed25519'
      ? 'EdDSA'
      : type === 'rsa'
        ? 'RS256'
        : type === 'ec' && curve === 'prime256v1'
          ? 'ES256'
          : null;
  if (alg === null) {
    throw new ConfigError(
      `--private-key-file: ${file} is a ${type ?? 'unknown'}${curve ? ` (${curve})` : ''} key; ` +
        'use P-256 (ES256), Ed25519 (EdDSA) or RSA (RS256)',
    );
  }
  return { privateKey, alg, ...(kid === undefined ? {} : { kid }) };
}

export async function tokenCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<TokenOutput> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      doc: { type: 'string' },
      role: { type: 'string' },
      ttl: { type: 'string' },
      sub: { type: 'string' },
      name: { type: 'string' },
      'auth-secret': { type: 'string' },
      'private-key-file': { type: 'string' },
      kid: { type: 'string' },
      iss: { type: 'string' },
      aud: { type: 'string' },
      'public-url': { type: 'string' },
    },
  });
  const keyFile = values['private-key-file'];
  const secret = values['auth-secret'] ?? env.WEFT_AUTH_SECRET;
  if (!keyFile && !secret) {
    throw new ConfigError(
      "set WEFT_AUTH_SECRET (the relay's secret), or pass --private-key-file, to sign tokens",
    );
  }
  const doc = values.doc;
  if (!doc) throw new ConfigError('--doc is required (a document name, or a prefix ending in *)');
  const exact = doc.endsWith('*') ? doc.slice(0, -1) : doc;
  if (exact !== '' && docNameProblem(exact) !== null) {
    throw new ConfigError(`--doc: ${docNameProblem(exact) ?? ''}`);
  }
  const role = values.role;
  if (role !== 'read' && role !== 'write') throw new ConfigError('--role must be read or write');
  const ttlSeconds = parseTtl(values.ttl ?? '1h');
  const tokenId = randomUUID();
  const issuer = values.iss ?? env.WEFT_AUTH_ISSUER;
  const audience = values.aud ?? env.WEFT_AUTH_AUDIENCE;
  const token = await signToken(
    {
      userId: values.sub ?? `share-${Date.now().toString(36)}`,
      ...(values.name === undefined ? {} : { name: values.name }),
      doc,
      role: role satisfies Role,
      ttlSeconds,
      tokenId,
      ...(issuer ? { issuer } : {}),
      ...(audience ? { audience } : {}),
    },
    keyFile ? readSigningKey(keyFile, values.kid) : secretKey(secret ?? ''),
  );
  const base = (
    values['public-url'] ??
    env.WEFT_PUBLIC_URL ??
    `http://localhost:${env.PORT ?? '4455'}`
  ).replace(/\/+$/, '');
  const path = doc.endsWith('*') ? '/' : `/d/${encodeURIComponent(doc)}`;
  return { token, url: `${base}${path}#token=${token}`, tokenId };
}
