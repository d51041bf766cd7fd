import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorTasks, setTask } from './toggle-task';

/** Two replicas that deliver every update to each other at once, like two users online. */
function twoUsers(initial: string): [Y.Text, Y.Text] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (update: Uint8Array) => Y.applyUpdate(b, update, 'remote'));
  b.on('update', (update: Uint8Array) => Y.applyUpdate(a, update, 'remote'));
  a.getText('content').insert(0, initial);
  return [a.getText('content'), b.getText('content')];
}

/** The anchor of the only task at `offset`. */
function anchorAt(text: Y.Text, offset: number): Y.RelativePosition {
  const [anchor] = anchorTasks(text, [{ offset, checked: false, line: 0 }]);
  if (anchor === undefined) throw new Error('no anchor');
  return anchor;
}

const offsetOf = (source: string, line: number) =>
  source.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0) + 3;

describe('[preview] ticking a task edits the shared text', () => {
  it('ticks and unticks the mark, and the other user sees it', () => {
    const source = '- [ ] one\n- [x] two\n';
    const [ada, grace] = twoUsers(source);
    expect(setTask(ada, anchorAt(ada, offsetOf(source, 0)), true, null)).toBe(true);
    expect(setTask(ada, anchorAt(ada, offsetOf(source, 1)), false, null)).toBe(true);
    expect(grace.toString()).toBe('- [x] one\n- [ ] two\n');
  });

  it('finds the mark after someone else inserted text before it', () => {
    const source = '- [ ] one\n';
    const [ada, grace] = twoUsers(source);
    const anchor = anchorAt(ada, 3);
    grace.insert(0, '# Plan\n\n');
    expect(setTask(ada, anchor, true, null)).toBe(true);
    expect(grace.toString()).toBe('# Plan\n\n- [x] one\n');
  });

  it('changes nothing when the mark was deleted meanwhile', () => {
    const source = '- [ ] one\n- [ ] two\n';
    const [ada, grace] = twoUsers(source);
    const anchor = anchorAt(ada, 3);
    grace.delete(0, '- [ ] one\n'.length);
    expect(setTask(ada, anchor, true, null)).toBe(false);
    expect(ada.toString()).toBe('- [ ] two\n');
  });

  it('is one undoable edit with the given origin', () => {
    const [ada] = twoUsers('- [ ] one');
    const origin = { user: 'ada' };
    const undo = new Y.UndoManager(ada, { trackedOrigins: new Set([origin]) });
    const anchor = anchorAt(ada, 3);
    setTask(ada, anchor, true, origin);
    expect(ada.toString()).toBe('- [x] one');
    undo.undo();
    expect(ada.toString()).toBe('- [ ] one');
  });
});
