import { describe, expect, it } from 'vitest';
import { refusalWords } from './refusal-words';

describe('refusalWords', () => {
  it('names the refused origin, the public one, and what the operator must set', () => {
    const words = refusalWords(
      { kind: 'origin', origin: 'https://x.example', publicOrigin: 'http://y.example' },
      'write',
    );
    expect(words.body).toBe(
      'The relay refuses connections from https://x.example (its public address is http://y.example). ' +
        'The operator must set WEFT_PUBLIC_URL to https://x.example, or add it to WEFT_ALLOWED_ORIGINS.',
    );
    expect(words.kept).toMatch(/kept on this device/);
    const unknown = refusalWords(
      { kind: 'origin', origin: 'https://x', publicOrigin: null },
      'read',
    );
    expect(unknown.body).toMatch(/cannot tell its own public address/);
    expect(unknown.kept).toBe('');
  });

  it('points at --trust-proxy and the cap for too many connections', () => {
    const words = refusalWords({ kind: 'address-limit', limit: 256 }, 'write');
    expect(words.body).toMatch(/allows 256 from one address/);
    expect(words.body).toMatch(/WEFT_TRUST_PROXY=1/);
    expect(words.body).toMatch(/WEFT_MAX_CONNECTIONS_PER_ADDRESS/);
    expect(refusalWords({ kind: 'address-limit', limit: null }, 'write').body).not.toMatch(
      /allows/,
    );
  });

  it('gives the relay’s reason for a refused name, and never says offline', () => {
    const words = refusalWords({ kind: 'name', reason: 'name is too long' }, 'write');
    expect(words.body).toMatch(/name is too long/);
    for (const refusal of [
      { kind: 'origin', origin: 'https://x', publicOrigin: 'https://y' },
      { kind: 'address-limit', limit: 1 },
      { kind: 'name', reason: 'r' },
    ] as const) {
      const all = Object.values(refusalWords(refusal, 'write')).join(' ');
      expect(all).not.toMatch(/offline/i);
    }
  });
});
