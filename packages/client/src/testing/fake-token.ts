/**
 * Unsigned stand-ins for relay-issued access tokens: the client decodes tokens but never
 * verifies them, so a test only needs the JWT shape and the claims.
 */
export interface FakeClaims {
  readonly sub?: string;
  readonly name?: string;
  readonly doc: string;
  readonly role: string;
  /** Seconds since the epoch. */
  readonly exp: number;
}

function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

export function fakeToken(claims: FakeClaims | Record<string, unknown>, signature = 'sig'): string {
  const header = base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64Url(JSON.stringify({ sub: 'user-1', ...claims }));
  return `${header}.${payload}.${base64Url(signature)}`;
}
