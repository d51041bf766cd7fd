import { describe, expect, it } from 'vitest';
import { secretKey, verifyToken } from './auth';
import { parseTtl, tokenCommand } from './token-command';

const SECRET = 'token-command-test-secret-long-enough';

describe('weft token', () => {
  it('signs a token the relay accepts, and a share link carrying it in the fragment', async () => {
    const { token, url } = await tokenCommand(
      ['--doc', 'roadmap', '--role', 'read', '--ttl', '2h', '--name', 'Guest'],
      { WEFT_AUTH_SECRET: SECRET, WEFT_PUBLIC_URL: 'https://weft.example/' },
    );
    expect(url).toBe(`https://weft.example/d/roadmap#token=${token}`);
    const principal = await verifyToken(token, secretKey(SECRET));
    expect(principal).toMatchObject({ docPattern: 'roadmap', role: 'read', name: 'Guest' });
    const ttl = principal.expiresAt - Date.now() / 1000;
    expect(ttl).toBeGreaterThan(7100);
    expect(ttl).toBeLessThanOrEqual(7200);
  });

  it('links prefix tokens to the document list', async () => {
    const { url } = await tokenCommand(['--doc', 'team-*', '--role', 'write'], {
      WEFT_AUTH_SECRET: SECRET,
    });
    expect(url).toMatch(/^http:\/\/localhost:4455\/#token=/);
  });

  it('explains what is missing or wrong', async () => {
    await expect(tokenCommand(['--doc', 'x', '--role', 'write'], {})).rejects.toThrow(
      /WEFT_AUTH_SECRET/,
    );
    await expect(tokenCommand(['--role', 'write'], { WEFT_AUTH_SECRET: SECRET })).rejects.toThrow(
      /--doc/,
    );
    await expect(
      tokenCommand(['--doc', 'x', '--role', 'admin'], { WEFT_AUTH_SECRET: SECRET }),
    ).rejects.toThrow(/--role/);
    await expect(
      tokenCommand(['--doc', 'a/b', '--role', 'read'], { WEFT_AUTH_SECRET: SECRET }),
    ).rejects.toThrow(/may only use/);
    expect(() => parseTtl('soon')).toThrow(/--ttl/);
    expect(parseTtl('15m')).toBe(900);
    expect(parseTtl('90')).toBe(90);
  });
});
