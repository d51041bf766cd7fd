import { describe, expect, it } from 'vitest';
import { initials } from './initials';

describe('initials', () => {
  it('takes the first letter of the first two words', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('grace brewster murray hopper')).toBe('GB');
    expect(initials('  Swift   Otter ')).toBe('SO');
  });

  it('keeps graphemes whole', () => {
    expect(initials('élodie')).toBe('É');
    expect(initials('👩‍💻 Coder')).toBe('👩‍💻C');
    // A combining accent after an ASCII letter belongs to it.
    expect(initials('A\u0301da e\u0301mile')).toBe('A\u0301E\u0301');
    expect(initials('K 9')).toBe('K9');
  });

  it('falls back to ? for an empty name', () => {
    expect(initials('   ')).toBe('?');
  });
});
