import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { firstForwardedElement, publicOrigin, type PublicOriginPolicy } from './public-origin';
import { checkOrigin, type OriginPolicy } from './request-identity';

function request(headers: Record<string, string | string[]>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

const direct: PublicOriginPolicy = { publicUrl: null, trustProxy: false };
const proxied: PublicOriginPolicy = { publicUrl: null, trustProxy: true };
const configured = (publicUrl: string, trustProxy = false): PublicOriginPolicy => ({
  publicUrl,
  trustProxy,
});

/** What nginx sends with deploy/nginx.conf for a page at https://weft.example.com:8443. */
const nginxHeaders = {
  host: 'weft.example.com',
  'x-forwarded-host': 'weft.example.com:8443',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '203.0.113.7',
};

describe('publicOrigin', () => {
  it('is WEFT_PUBLIC_URL when set, whatever the headers say', () => {
    const headers = request({ ...nginxHeaders, forwarded: 'host=evil.example;proto=http' });
    expect(publicOrigin(headers, configured('https://weft.example.com/docs/'))).toBe(
      'https://weft.example.com',
    );
    expect(publicOrigin(headers, configured('https://weft.example.com:443', true))).toBe(
      'https://weft.example.com',
    );
    expect(publicOrigin(request({}), configured('http://LOCALHOST:8080'))).toBe(
      'http://localhost:8080',
    );
    expect(publicOrigin(headers, configured('ftp://weft.example.com'))).toBeNull();
  });

  it('is Host over http without --trust-proxy, ignoring every forwarded header', () => {
    expect(publicOrigin(request({ host: '127.0.0.1:4455' }), direct)).toBe('http://127.0.0.1:4455');
    // Spoofing attempts: a client talking to the relay directly claims another host/scheme.
    expect(publicOrigin(request(nginxHeaders), direct)).toBe('http://weft.example.com');
    expect(
      publicOrigin(
        request({ host: 'relay.internal', forwarded: 'host=evil.example;proto=https' }),
        direct,
      ),
    ).toBe('http://relay.internal');
    expect(publicOrigin(request({}), direct)).toBeNull();
  });

  it('with --trust-proxy, believes X-Forwarded-Host and X-Forwarded-Proto', () => {
    expect(publicOrigin(request(nginxHeaders), proxied)).toBe('https://weft.example.com:8443');
    // A missing host falls back to Host, a missing scheme to http.
    expect(
      publicOrigin(request({ host: 'weft.example.com', 'x-forwarded-proto': 'https' }), proxied),
    ).toBe('https://weft.example.com');
    expect(
      publicOrigin(request({ host: 'relay', 'x-forwarded-host': 'weft.example.com' }), proxied),
    ).toBe('http://weft.example.com');
    expect(publicOrigin(request({ host: 'weft.example.com:8080' }), proxied)).toBe(
      'http://weft.example.com:8080',
    );
    // Default ports are dropped, as browsers drop them from Origin; names are lower-cased.
    expect(
      publicOrigin(
        request({ 'x-forwarded-host': 'Weft.Example.com:443', 'x-forwarded-proto': 'HTTPS' }),
        proxied,
      ),
    ).toBe('https://weft.example.com');
  });

  it('takes the first entry of a chain, the host the browser-facing proxy saw', () => {
    expect(
      publicOrigin(
        request({
          host: 'relay.internal',
          'x-forwarded-host': 'weft.example.com, edge.internal',
          'x-forwarded-proto': 'https, http',
        }),
        proxied,
      ),
    ).toBe('https://weft.example.com');
    expect(
      publicOrigin(request({ 'x-forwarded-host': ['weft.example.com', 'edge.internal'] }), proxied),
    ).toBe('http://weft.example.com');
  });

  it('with --trust-proxy, prefers RFC 7239 Forwarded, field by field', () => {
    const forwarded = 'for=192.0.2.60;proto=https;by=203.0.113.43;host="weft.example.com:8443"';
    expect(publicOrigin(request({ host: 'relay', forwarded }), proxied)).toBe(
      'https://weft.example.com:8443',
    );
    expect(
      publicOrigin(
        request({ ...nginxHeaders, forwarded: 'For="[2001:db8:cafe::17]:4711";Host=docs.example' }),
        proxied,
      ),
    ).toBe('https://docs.example');
    // The first element is the browser-facing hop; later ones are ignored.
    expect(
      publicOrigin(
        request({ forwarded: 'host=weft.example.com;proto=https, host=relay.internal;proto=http' }),
        proxied,
      ),
    ).toBe('https://weft.example.com');
    expect(
      publicOrigin(
        request({ forwarded: ['proto=https;host=a.example', 'host=b.example'] }),
        proxied,
      ),
    ).toBe('https://a.example');
  });

  it('maps a socket scheme (ws, wss) to the page scheme', () => {
    expect(
      publicOrigin(
        request({ 'x-forwarded-host': 'weft.example.com', 'x-forwarded-proto': 'wss' }),
        proxied,
      ),
    ).toBe('https://weft.example.com');
    expect(
      publicOrigin(request({ host: 'weft.example.com', forwarded: 'proto=ws' }), proxied),
    ).toBe('http://weft.example.com');
  });

  it('cannot tell from values that are not a host or a web scheme', () => {
    for (const headers of [
      { 'x-forwarded-host': 'evil.example/weft.example.com' },
      { 'x-forwarded-host': 'user@weft.example.com' },
      { 'x-forwarded-host': 'weft example' },
      { host: 'weft.example.com', 'x-forwarded-proto': 'gopher' },
      { host: 'weft.example.com', forwarded: 'host=' },
      { host: 'weft.example.com:99999999' },
    ]) {
      expect(publicOrigin(request(headers), proxied), JSON.stringify(headers)).toBeNull();
    }
    expect(publicOrigin(request({ host: 'a/b' }), direct)).toBeNull();
  });
});

describe('firstForwardedElement', () => {
  it('reads tokens and quoted strings, case-insensitive keys, escapes and commas in quotes', () => {
    const pairs = firstForwardedElement('For=192.0.2.1; PROTO=https ;host="a\\"b,c", for=x');
    expect(Object.fromEntries(pairs)).toEqual({ for: '192.0.2.1', proto: 'https', host: 'a"b,c' });
  });

  it('keeps the first of a repeated parameter and survives malformed text', () => {
    expect(Object.fromEntries(firstForwardedElement('host=a;host=b'))).toEqual({ host: 'a' });
    expect(Object.fromEntries(firstForwardedElement('proto=https;garbage'))).toEqual({
      proto: 'https',
    });
    expect(Object.fromEntries(firstForwardedElement('host="unterminated'))).toEqual({
      host: 'unterminated',
    });
    expect(firstForwardedElement(undefined).size).toBe(0);
    expect(firstForwardedElement(', host=late').size).toBe(0);
  });
});

describe('checkOrigin', () => {
  const policy = (overrides: Partial<OriginPolicy> = {}): OriginPolicy => ({
    publicUrl: null,
    trustProxy: false,
    allowedOrigins: null,
    ...overrides,
  });

  it('lets non-browser clients (no Origin) through', () => {
    expect(checkOrigin(undefined, request({}), policy())).toEqual({ allowed: true });
  });

  it('needs scheme, host and port to equal the public origin', () => {
    const behindNginx = request({ host: 'weft.example.com', 'x-forwarded-proto': 'https' });
    const withUrl = policy({ publicUrl: 'https://weft.example.com:8443' });
    expect(checkOrigin('https://weft.example.com:8443', behindNginx, withUrl).allowed).toBe(true);
    expect(checkOrigin('https://weft.example.com', behindNginx, withUrl)).toEqual({
      allowed: false,
      publicOrigin: 'https://weft.example.com:8443',
    });
    expect(checkOrigin('http://weft.example.com:8443', behindNginx, withUrl).allowed).toBe(false);
    // The bug this fixes: nginx's `Host $host` drops the port, so Host alone never matched.
    expect(checkOrigin('https://weft.example.com:8443', behindNginx, policy()).allowed).toBe(false);
  });

  it('refuses a foreign page that a spoofed header would have let in without --trust-proxy', () => {
    const spoofed = request({
      host: '127.0.0.1:4455',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      forwarded: 'host=evil.example;proto=https',
    });
    expect(checkOrigin('https://evil.example', spoofed, policy())).toEqual({
      allowed: false,
      publicOrigin: 'http://127.0.0.1:4455',
    });
    expect(checkOrigin('http://127.0.0.1:4455', spoofed, policy()).allowed).toBe(true);
    // With a public URL, even a trusted proxy's headers cannot widen it.
    const withUrl = policy({ publicUrl: 'https://weft.example.com', trustProxy: true });
    expect(checkOrigin('https://evil.example', spoofed, withUrl).allowed).toBe(false);
  });

  it('also allows WEFT_ALLOWED_ORIGINS, compared as origins, and * for any', () => {
    const direct = request({ host: '127.0.0.1:4455' });
    const listed = policy({ allowedOrigins: ['https://app.example/', 'https://b.example:443'] });
    expect(checkOrigin('https://app.example', direct, listed).allowed).toBe(true);
    expect(checkOrigin('https://b.example', direct, listed).allowed).toBe(true);
    expect(checkOrigin('http://127.0.0.1:4455', direct, listed).allowed).toBe(true);
    expect(checkOrigin('https://evil.example', direct, listed).allowed).toBe(false);
    expect(checkOrigin('null', direct, listed).allowed).toBe(false);
    expect(checkOrigin('null', direct, policy({ allowedOrigins: ['*'] })).allowed).toBe(true);
  });

  it('refuses every browser when the public origin cannot be told', () => {
    expect(checkOrigin('http://weft.example.com', request({}), policy())).toEqual({
      allowed: false,
      publicOrigin: null,
    });
  });
});
