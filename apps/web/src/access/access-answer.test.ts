import { describe, expect, it } from 'vitest';
import { verdictFromAnswer } from './access-answer';

const page = 'https://weft.example.com';

describe('verdictFromAnswer', () => {
  it('reads each refusal the relay names', () => {
    expect(
      verdictFromAnswer(
        403,
        { error: 'origin not allowed', refusal: 'origin', publicOrigin: 'http://127.0.0.1:4455' },
        page,
      ),
    ).toEqual({ kind: 'origin', origin: page, publicOrigin: 'http://127.0.0.1:4455' });
    expect(verdictFromAnswer(403, { refusal: 'origin', publicOrigin: null }, page)).toEqual({
      kind: 'origin',
      origin: page,
      publicOrigin: null,
    });
    expect(verdictFromAnswer(429, { refusal: 'address-limit', limit: 256 }, page)).toEqual({
      kind: 'address-limit',
      limit: 256,
    });
    expect(verdictFromAnswer(400, { refusal: 'name', error: 'too long' }, page)).toEqual({
      kind: 'name',
      reason: 'too long',
    });
  });

  it('keeps token refusals and grants as before, also from a relay that names nothing', () => {
    expect(verdictFromAnswer(200, { role: 'write', expiresAt: null }, page)).toBe('granted');
    expect(verdictFromAnswer(401, { error: 'missing token', refusal: 'token' }, page)).toBe(
      'refused',
    );
    expect(verdictFromAnswer(403, { error: 'token is for another document' }, page)).toBe(
      'refused',
    );
    expect(verdictFromAnswer(401, null, page)).toBe('refused');
  });

  it('calls anything else unknown, never a refusal', () => {
    expect(verdictFromAnswer(500, { error: 'internal error' }, page)).toBe('unknown');
    expect(verdictFromAnswer(502, null, page)).toBe('unknown');
    expect(verdictFromAnswer(429, { refusal: 'origin' }, page)).toBe('unknown');
    expect(verdictFromAnswer(400, 'not json', page)).toBe('unknown');
  });
});
