import { describe, expect, it } from 'vitest';
import { proseBlock } from './keystrokes';

describe('proseBlock', () => {
  it('is exactly the size asked for, in paragraphs of a few hundred characters', () => {
    const text = proseBlock(100 * 1024);
    expect(text).toHaveLength(100 * 1024);
    const paragraphs = text.split('\n\n');
    expect(paragraphs.length).toBeGreaterThan(200);
    expect(Math.max(...paragraphs.map((p) => p.length))).toBeLessThan(500);
  });
});
