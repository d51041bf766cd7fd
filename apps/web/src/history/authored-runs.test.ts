import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { authoredRuns, authorColor } from './authored-runs';

describe('authoredRuns', () => {
  it('splits the visible text where the writing client changes, skipping deletions', () => {
    const ada = new Y.Doc();
    ada.clientID = 1;
    ada.getText('content').insert(0, 'Hello world');
    const bob = new Y.Doc();
    bob.clientID = 2;
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(ada));
    const text = bob.getText('content');
    text.insert(5, ', dear');
    text.delete(0, 1);
    text.insert(0, 'J');
    const authors = new Map([
      [1, { id: 'ada', name: 'Ada' }],
      [2, { id: 'bob', name: 'Bob', color: '#30a46c' }],
    ]);
    expect(authoredRuns(text, authors)).toEqual([
      { text: 'J', author: authors.get(2) },
      { text: 'ello', author: authors.get(1) },
      { text: ', dear', author: authors.get(2) },
      { text: ' world', author: authors.get(1) },
    ]);
    expect(authorColor({ id: 'bob', name: 'Bob', color: '#30a46c' })).toBe('#30a46c');
    expect(authorColor({ id: 'ada', name: 'Ada' })).toMatch(/^#[0-9a-f]{6}$/);
  });
});
