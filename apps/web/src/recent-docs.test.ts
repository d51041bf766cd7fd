import { describe, expect, it } from 'vitest';
import { parseRecent, withRecent } from './recent-docs';

describe('recent documents', () => {
  it('moves a reopened document to the front without duplicating it', () => {
    const list = [
      { name: 'a', title: null, openedAt: 2 },
      { name: 'b', title: 'B', openedAt: 1 },
    ];
    const next = withRecent(list, { name: 'b', title: 'B2', openedAt: 3 });
    expect(next.map((d) => `${d.name}:${d.title ?? ''}`)).toEqual(['b:B2', 'a:']);
  });

  it('keeps at most 50', () => {
    let list = parseRecent(null);
    for (let i = 0; i < 60; i++)
      list = withRecent(list, { name: `d${i}`, title: null, openedAt: i });
    expect(list).toHaveLength(50);
    expect(list[0]?.name).toBe('d59');
  });

  it('ignores corrupt storage', () => {
    expect(parseRecent('not json')).toEqual([]);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent('[{"name":"ok","title":null,"openedAt":1},{"name":2}]')).toHaveLength(1);
  });
});
