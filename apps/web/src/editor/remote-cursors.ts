/**
 * Other people's cursors and selections, in their colour, with their name always shown.
 *
 * Adapted from y-codemirror.next's `yRemoteSelections` (MIT), which this app does not use
 * because (1) its label is only visible on hover, and (2) its caret widget compares only the
 * colour, so a user who renames themselves keeps their old name on screen. This plugin also
 * publishes the local cursor into the awareness (the part of the original that `yCollab`
 * does when given an awareness, which Weft does not pass it).
 */
import { RangeSet, type Range } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  ViewPlugin,
  WidgetType,
  type DecorationSet,
  type ViewUpdate,
} from '@codemirror/view';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { readableTextOn } from '../lib/readable-text';

interface CursorState {
  readonly anchor: unknown;
  readonly head: unknown;
}

interface PeerState {
  readonly user?: {
    readonly name?: unknown;
    readonly color?: unknown;
    readonly colorLight?: unknown;
  };
  readonly cursor?: CursorState | null;
}

const COLOR = /^#[0-9a-f]{6}$/i;

class CaretWidget extends WidgetType {
  constructor(
    readonly clientId: number,
    readonly color: string,
    readonly name: string,
  ) {
    super();
  }

  override toDOM(): HTMLElement {
    const caret = document.createElement('span');
    caret.className = 'cm-ySelectionCaret';
    caret.dataset.client = String(this.clientId);
    caret.style.borderColor = this.color;
    caret.style.backgroundColor = this.color;
    // Word joiners keep the caret from breaking the line it sits in.
    caret.append('\u2060');
    const label = document.createElement('span');
    label.className = 'cm-ySelectionInfo';
    label.textContent = this.name;
    label.style.backgroundColor = this.color;
    label.style.color = readableTextOn(this.color);
    label.setAttribute('aria-hidden', 'true');
    caret.append(label, '\u2060');
    return caret;
  }

  override eq(other: CaretWidget): boolean {
    return (
      other.color === this.color && other.name === this.name && other.clientId === this.clientId
    );
  }

  override ignoreEvent(): boolean {
    return true;
  }
}

/** The absolute index in `text` of a relative position from the awareness, or null. */
export function absoluteIndex(text: Y.Text, position: unknown): number | null {
  const doc = text.doc;
  if (doc === null || typeof position !== 'object' || position === null) return null;
  try {
    const relative = Y.createRelativePositionFromJSON(position);
    const absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
    return absolute?.type === text ? absolute.index : null;
  } catch {
    return null;
  }
}

export function remoteCursors(text: Y.Text, awareness: Awareness) {
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet = RangeSet.of([]);
      private destroyed = false;
      /** Someone else's awareness changed since the cursors were last built. */
      private stale = true;
      private readonly onChange: (change: {
        added: number[];
        updated: number[];
        removed: number[];
      }) => void;

      constructor(private readonly view: EditorView) {
        this.onChange = ({ added, updated, removed }) => {
          const others = [...added, ...updated, ...removed].some((id) => id !== awareness.clientID);
          // Redraw soon: dispatching inside another view update is not allowed.
          if (others) {
            this.stale = true;
            queueMicrotask(() => {
              if (!this.destroyed) this.view.dispatch({});
            });
          }
        };
        awareness.on('change', this.onChange);
      }

      update(update: ViewUpdate): void {
        this.publishLocalCursor(update);
        // Rebuilding resolves two relative positions per person, each a walk through the
        // document's items. Your own typing only moves the others' cursors, as mapping does;
        // a change from elsewhere (someone's edit, the document arriving) may make a cursor
        // resolvable that was not, so it rebuilds.
        if (this.stale || (update.docChanged && !onlyOwnEdits(update))) {
          this.stale = false;
          this.decorations = this.build(update.view);
        } else if (update.docChanged) {
          this.decorations = this.decorations.map(update.changes);
        }
      }

      destroy(): void {
        this.destroyed = true;
        awareness.off('change', this.onChange);
      }

      private publishLocalCursor(update: ViewUpdate): void {
        const local = awareness.getLocalState() as PeerState | null;
        if (local === null) return;
        const hasFocus = update.view.hasFocus && update.view.dom.ownerDocument.hasFocus();
        if (!hasFocus) return;
        const selection = update.state.selection.main;
        const anchor = Y.createRelativePositionFromTypeIndex(text, selection.anchor);
        const head = Y.createRelativePositionFromTypeIndex(text, selection.head);
        const current = local.cursor;
        if (
          current &&
          Y.compareRelativePositions(asRelative(current.anchor), anchor) &&
          Y.compareRelativePositions(asRelative(current.head), head)
        ) {
          return;
        }
        awareness.setLocalStateField('cursor', { anchor, head });
      }

      private build(view: EditorView): DecorationSet {
        const ranges: Range<Decoration>[] = [];
        const length = view.state.doc.length;
        for (const [clientId, raw] of awareness.getStates()) {
          if (clientId === awareness.clientID) continue;
          const state = raw as PeerState;
          const anchor = absoluteIndex(text, state.cursor?.anchor);
          const head = absoluteIndex(text, state.cursor?.head);
          if (anchor === null || head === null || anchor > length || head > length) continue;
          const color =
            typeof state.user?.color === 'string' && COLOR.test(state.user.color)
              ? state.user.color
              : '#6b665e';
          const name = typeof state.user?.name === 'string' ? state.user.name : 'Anonymous';
          const from = Math.min(anchor, head);
          const to = Math.max(anchor, head);
          if (from < to) {
            ranges.push(
              Decoration.mark({
                class: 'cm-ySelection',
                attributes: { style: `background-color: ${color}33` },
              }).range(from, to),
            );
          }
          ranges.push(
            Decoration.widget({
              // Keep the caret outside the selection it ends.
              side: head - anchor > 0 ? -1 : 1,
              widget: new CaretWidget(clientId, color, name),
            }).range(head),
          );
        }
        return Decoration.set(ranges, true);
      }
    },
    { decorations: (plugin) => plugin.decorations },
  );
}

/** Every change in the update was typed, pasted, dropped or undone here. */
function onlyOwnEdits(update: ViewUpdate): boolean {
  return update.transactions.every(
    (tr) =>
      tr.changes.empty ||
      ['input', 'delete', 'move', 'undo', 'redo'].some((event) => tr.isUserEvent(event)),
  );
}

function asRelative(json: unknown): Y.RelativePosition | null {
  try {
    return Y.createRelativePositionFromJSON(json);
  } catch {
    return null;
  }
}
