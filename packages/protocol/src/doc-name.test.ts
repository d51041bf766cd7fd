import { describe, expect, it } from 'vitest';
import { DOC_NAME_MAX_LENGTH, docNameProblem, parseDocName } from './doc-name';

describe('document names', () => {
  it('accepts letters, digits, dots, underscores and dashes', () => {
    for (const name of ['a', 'notes', 'Q3-plan_v2.md', '0', 'x'.repeat(DOC_NAME_MAX_LENGTH)]) {
      expect(docNameProblem(name)).toBeNull();
      expect(parseDocName(name)).toBe(name);
    }
  });

  it('refuses empty, overlong, path-like and non-ASCII names with a reason', () => {
    expect(docNameProblem('')).toMatch(/empty/);
    expect(docNameProblem('x'.repeat(DOC_NAME_MAX_LENGTH + 1))).toMatch(/longer/);
    for (const name of ['..', '.hidden', 'a/b', 'a b', 'naïve', 'a\u0000b', '-x', '%2F']) {
      expect(docNameProblem(name), name).toMatch(/may only use/);
    }
    expect(() => parseDocName('a/b')).toThrow(/may only use/);
  });
});
