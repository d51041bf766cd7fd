import { describe, expect, it } from 'vitest';
import { readPastedToken } from './validate';

function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) =>
    btoa(JSON.stringify(value)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
  return `${part({ alg: 'HS256' })}.${part({ sub: 'u', ...claims })}.c2ln`;
}

const now = 1_700_000_000_000;
const later = now / 1000 + 3600;

describe('readPastedToken', () => {
  it('accepts a share link or a bare token that grants the document', () => {
    const write = token({ doc: 'notes', role: 'write', exp: later });
    expect(readPastedToken(`http://h/d/notes#token=${write}`, 'notes', now)).toEqual({
      ok: true,
      token: write,
      doc: 'notes',
    });
    const prefix = token({ doc: 'no*', role: 'read', exp: later });
    expect(readPastedToken(prefix, 'notes', now)).toMatchObject({ ok: true, doc: 'no*' });
    // Without a document (the list page), any valid token is fine.
    expect(readPastedToken(prefix, null, now)).toMatchObject({ ok: true });
  });

  it('explains what is wrong', () => {
    expect(readPastedToken('  ', 'notes', now)).toMatchObject({ ok: false });
    expect(readPastedToken('http://h/d/notes', 'notes', now)).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a Weft share link') as string,
    });
    const other = token({ doc: 'plans', role: 'write', exp: later });
    expect(readPastedToken(other, 'notes', now)).toMatchObject({
      error: 'That link is for “plans”, not for this document.',
    });
    const team = token({ doc: 'team-*', role: 'write', exp: later });
    expect(readPastedToken(team, 'notes', now)).toMatchObject({
      error: expect.stringContaining('start with “team-”') as string,
    });
    const expired = token({ doc: 'notes', role: 'write', exp: now / 1000 - 1 });
    expect(readPastedToken(expired, 'notes', now)).toMatchObject({
      error: expect.stringContaining('expired') as string,
    });
  });
});
