/**
 * `pnpm weft token --doc <name|prefix*> --role read|write --ttl 1h`: prints a signed access
 * token and a ready-to-share link (the web app reads the token from the URL fragment, which
 * browsers never send to servers or put in Referer headers).
 */
import { parseArgs } from 'node:util';
import { docNameProblem } from '@weft/protocol';
import { signToken, secretKey, type Role } from './auth';
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
      'public-url': { type: 'string' },
    },
  });
  const secret = values['auth-secret'] ?? env.WEFT_AUTH_SECRET;
  if (!secret) throw new ConfigError("set WEFT_AUTH_SECRET (the relay's secret) to sign tokens");
  const doc = values.doc;
  if (!doc) throw new ConfigError('--doc is required (a document name, or a prefix ending in *)');
  const exact = doc.endsWith('*') ? doc.slice(0, -1) : doc;
  if (exact !== '' && docNameProblem(exact) !== null) {
    throw new ConfigError(`--doc: ${docNameProblem(exact) ?? ''}`);
  }
  const role = values.role;
  if (role !== 'read' && role !== 'write') throw new ConfigError('--role must be read or write');
  const ttlSeconds = parseTtl(values.ttl ?? '1h');
  const token = await signToken(
    {
      userId: values.sub ?? `share-${Date.now().toString(36)}`,
      ...(values.name === undefined ? {} : { name: values.name }),
      doc,
      role: role satisfies Role,
      ttlSeconds,
    },
    secretKey(secret),
  );
  const base = (
    values['public-url'] ??
    env.WEFT_PUBLIC_URL ??
    `http://localhost:${env.PORT ?? '4455'}`
  ).replace(/\/+$/, '');
  const path = doc.endsWith('*') ? '/' : `/d/${encodeURIComponent(doc)}`;
  return { token, url: `${base}${path}#token=${token}` };
}
