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
  });

  it('falls back to ? for an empty name', () => {
    expect(initials('   ')).toBe('?');
  });
});
