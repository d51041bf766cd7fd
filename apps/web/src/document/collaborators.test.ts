import { describe, expect, it, vi } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CollaboratorStore } from './collaborators';

function peer(name: string, color: string) {
  const awareness = new Awareness(new Y.Doc());
  awareness.setLocalState({ user: { name, color } });
  return awareness;
}

/** Copies `from`'s local state into `to`, as the relay would. */
function sync(from: Awareness, to: Awareness) {
  applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [from.clientID]), 'test');
}

describe('CollaboratorStore', () => {
  it('lists you first, then others by name, and ignores states without a user', () => {
    const me = peer('Zed', '#6e56cf');
    const store = new CollaboratorStore(me);
    sync(peer('Grace', '#30a46c'), me);
    sync(peer('Ada', '#e5484d'), me);
    const nobody = new Awareness(new Y.Doc());
    nobody.setLocalState({ cursor: null });
    sync(nobody, me);
    expect(store.getSnapshot().map((p) => `${p.name}${p.isLocal ? '*' : ''}`)).toEqual([
      'Zed*',
      'Ada',
      'Grace',
    ]);
    store.destroy();
    me.destroy();
  });

  it('does not notify on cursor moves, only on who/what changes', () => {
    const me = peer('Me', '#6e56cf');
    const other = peer('Other', '#30a46c');
    const store = new CollaboratorStore(me);
    sync(other, me);
    const listener = vi.fn();
    store.subscribe(listener);
    other.setLocalStateField('cursor', { anchor: 1, head: 1 });
    sync(other, me);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().find((p) => p.name === 'Other')?.hasCursor).toBe(true);
    other.setLocalStateField('cursor', { anchor: 2, head: 2 });
    sync(other, me);
    expect(listener).toHaveBeenCalledTimes(1);
    other.setLocalStateField('user', { name: 'Renamed', color: '#30a46c' });
    sync(other, me);
    expect(listener).toHaveBeenCalledTimes(2);
    store.destroy();
    me.destroy();
  });
});
