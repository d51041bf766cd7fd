/**
 * What the page around the editor may do to it: undo and redo this user's edits, apply a
 * format, jump to a collaborator's cursor. The controller exists before the CodeMirror view
 * and outlives remounts; the view attaches itself when it is created.
 */
import { EditorView } from '@codemirror/view';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ValueStore } from '../lib/value-store';
import { setTask } from '../preview/toggle-task';
import { FollowMode } from './follow-mode';
import { applyFormat, type FormatName } from './formatting';
import { absoluteIndex } from './remote-cursors';
import { coveredTop } from './sticky-header';

export interface UndoState {
  readonly canUndo: boolean;
  readonly canRedo: boolean;
}

export class EditorController {
  /** Tracks only edits made through this tab's editor (y-codemirror.next adds its origin). */
  readonly undoManager: Y.UndoManager;
  readonly undoState = new ValueStore<UndoState>({ canUndo: false, canRedo: false });
  /** Read-only access (a `read` token): nothing here may change the text. */
  readonly readOnly = new ValueStore(false);
  /** Following a collaborator's cursor around the document. */
  readonly follow: FollowMode;
  private view: EditorView | null = null;
  /** The origin of this user's edits made outside the editor (ticks in the preview). */
  private readonly ownEditOrigin = { source: 'weft-preview' };

  constructor(
    readonly text: Y.Text,
    readonly awareness: Awareness,
  ) {
    // The binding adds its sync config as a tracked origin, so edits that arrive from the
    // relay or IndexedDB are never on this user's undo stack; ticks in the preview are.
    this.undoManager = new Y.UndoManager(text, { trackedOrigins: new Set([this.ownEditOrigin]) });
    this.follow = new FollowMode(text, awareness, () => this.view, coveredTop);
    for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) {
      this.undoManager.on(event, this.refreshUndoState);
    }
  }

  attach(view: EditorView): () => void {
    this.view = view;
    return () => {
      if (this.view === view) this.view = null;
    };
  }

  /**
   * Switches read-only access on or off. Going read-only empties the undo history: undoing an
   * edit is an edit, and the relay would drop it anyway.
   */
  setReadOnly(readOnly: boolean): void {
    if (readOnly) this.undoManager.clear();
    this.readOnly.set(readOnly);
  }

  undo(): void {
    if (this.readOnly.getSnapshot()) return;
    this.undoManager.undo();
    this.view?.focus();
  }

  redo(): void {
    if (this.readOnly.getSnapshot()) return;
    this.undoManager.redo();
    this.view?.focus();
  }

  format(name: FormatName): void {
    if (this.view && !this.readOnly.getSnapshot()) applyFormat(this.view, name);
  }

  focus(): void {
    this.view?.focus();
  }

  /** The CodeMirror view while one is mounted (the preview scrolls in step with it). */
  get editorView(): EditorView | null {
    return this.view;
  }

  /**
   * Ticks or unticks the task whose mark is anchored at `anchor` (see preview/toggle-task.ts),
   * as an edit of this user's that their undo takes back. False when that is not possible.
   */
  setTask(anchor: Y.RelativePosition, checked: boolean): boolean {
    if (this.readOnly.getSnapshot()) return false;
    return setTask(this.text, anchor, checked, this.ownEditOrigin);
  }

  /**
   * Scrolls a collaborator's cursor into view and makes its label pulse. Returns false when
   * they have no cursor in the text (they have not clicked into it yet).
   */
  revealCollaborator(clientId: number): boolean {
    const view = this.view;
    const state = this.awareness.getStates().get(clientId) as
      { cursor?: { head?: unknown } | null } | undefined;
    const index = absoluteIndex(this.text, state?.cursor?.head);
    if (view === null || index === null || index > view.state.doc.length) return false;
    view.dispatch({ effects: EditorView.scrollIntoView(index, { y: 'center' }) });
    requestAnimationFrame(() => {
      const label = view.dom.querySelector<HTMLElement>(
        `.cm-ySelectionCaret[data-client="${clientId}"] .cm-ySelectionInfo`,
      );
      label?.animate(
        [{ transform: 'scale(1)' }, { transform: 'scale(1.35)' }, { transform: 'scale(1)' }],
        { duration: 450, iterations: 3, easing: 'ease-in-out' },
      );
    });
    return true;
  }

  destroy(): void {
    this.follow.destroy();
    this.undoManager.destroy();
    this.undoState.clear();
    this.readOnly.clear();
  }

  private readonly refreshUndoState = (): void => {
    const canUndo = this.undoManager.undoStack.length > 0;
    const canRedo = this.undoManager.redoStack.length > 0;
    const current = this.undoState.getSnapshot();
    if (current.canUndo !== canUndo || current.canRedo !== canRedo) {
      this.undoState.set({ canUndo, canRedo });
    }
  };
}
