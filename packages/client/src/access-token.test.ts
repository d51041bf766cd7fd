import { describe, expect, it } from 'vitest';
import {
  decodeAccessToken,
  docPatternMatches,
  isExpired,
  takeTokenFromFragment,
  tokenFromText,
} from './access-token.js';
import { fakeToken } from './testing/fake-token.js';

const exp = 2_000_000_000;

describe('decodeAccessToken', () => {
  it('reads the claims Weft needs', () => {
    const token = fakeToken({ sub: 'ada', name: 'Ada Lövelace', doc: 'notes', role: 'read', exp });
    expect(decodeAccessToken(token)).toEqual({
      sub: 'ada',
      name: 'Ada Lövelace',
      doc: 'notes',
      role: 'read',
      exp,
    });
    expect(decodeAccessToken(fakeToken({ doc: 'team-*', role: 'write', exp }))).toMatchObject({
      name: null,
      doc: 'team-*',
      role: 'write',
    });
  });

  it('refuses anything that is not a complete Weft token', () => {
    expect(decodeAccessToken('')).toBeNull();
    expect(decodeAccessToken('not-a-token')).toBeNull();
    expect(decodeAccessToken('a.b')).toBeNull();
    expect(decodeAccessToken('a.!!!.c')).toBeNull();
    expect(decodeAccessToken(`x.${btoa('not json')}.y`)).toBeNull();
    expect(decodeAccessToken(fakeToken({ doc: 'n', role: 'admin', exp }))).toBeNull();
    expect(decodeAccessToken(fakeToken({ doc: '', role: 'read', exp }))).toBeNull();
    expect(decodeAccessToken(fakeToken({ role: 'read', exp }))).toBeNull();
    expect(decodeAccessToken(fakeToken({ doc: 'n', role: 'read' }))).toBeNull();
    expect(decodeAccessToken(fakeToken({ doc: 'n', role: 'read', exp: '1' }))).toBeNull();
    expect(decodeAccessToken(fakeToken({ doc: 'n', role: 'read', exp, sub: '' }))).toBeNull();
    expect(decodeAccessToken(fakeToken({ doc: 'n', role: 'read', exp, name: 5 }))).toBeNull();
  });

  it('says when a token has expired', () => {
    const claims = decodeAccessToken(fakeToken({ doc: 'n', role: 'read', exp: 100 }));
    if (claims === null) throw new Error('no claims');
    expect(isExpired(claims, 99_999)).toBe(false);
    expect(isExpired(claims, 100_000)).toBe(true);
  });
});

describe('docPatternMatches', () => {
  it('matches exact names exactly and prefixes by prefix', () => {
    expect(docPatternMatches('notes', 'notes')).toBe(true);
    expect(docPatternMatches('notes', 'notes-2')).toBe(false);
    expect(docPatternMatches('notes', 'note')).toBe(false);
    expect(docPatternMatches('team-*', 'team-')).toBe(true);
    expect(docPatternMatches('team-*', 'team-plan')).toBe(true);
    expect(docPatternMatches('team-*', 'teams')).toBe(false);
    expect(docPatternMatches('team-*', 'my-team-plan')).toBe(false);
    expect(docPatternMatches('*', 'anything')).toBe(true);
  });
});

describe('takeTokenFromFragment', () => {
  it('takes the token and keeps the rest of the fragment', () => {
    expect(takeTokenFromFragment('#token=a.b.c')).toEqual({ token: 'a.b.c', fragment: '' });
    expect(takeTokenFromFragment('#token=a.b.c&x=1')).toEqual({
      token: 'a.b.c',
      fragment: '#x=1',
    });
    expect(takeTokenFromFragment('#x=1&token=a.b.c')).toEqual({
      token: 'a.b.c',
      fragment: '#x=1',
    });
  });

  it('leaves fragments without a token alone', () => {
    expect(takeTokenFromFragment('')).toEqual({ token: null, fragment: '' });
    expect(takeTokenFromFragment('#heading')).toEqual({ token: null, fragment: '#heading' });
    expect(takeTokenFromFragment('#mytoken=1')).toEqual({ token: null, fragment: '#mytoken=1' });
    expect(takeTokenFromFragment('#token=')).toEqual({ token: null, fragment: '' });
  });
});

describe('tokenFromText', () => {
  const token = fakeToken({ doc: 'notes', role: 'write', exp });

  it('accepts a share link, a fragment, a pair or a bare token', () => {
    expect(tokenFromText(`http://localhost:4455/d/notes#token=${token}`)).toBe(token);
    expect(tokenFromText(`  https://weft.example/#token=${token}\n`)).toBe(token);
    expect(tokenFromText(`#token=${token}`)).toBe(token);
    expect(tokenFromText(`token=${token}`)).toBe(token);
    expect(tokenFromText(` ${token} `)).toBe(token);
    expect(tokenFromText(`https://weft.example/d/notes?token=${token}`)).toBe(token);
  });

  it('finds nothing in other text', () => {
    expect(tokenFromText('')).toBeNull();
    expect(tokenFromText('http://localhost:4455/d/notes')).toBeNull();
    expect(tokenFromText('http://localhost:4455/d/notes#token=nope')).toBeNull();
    expect(tokenFromText('hello world')).toBeNull();
  });
});
