/**
 * How the caret and the selection are drawn: by the browser while there is one selection
 * range, as on the bare y-codemirror.next page; by CodeMirror's `drawSelection` only while
 * there are several (a rectangular selection, added cursors), which the browser cannot show.
 *
 * Profiled while typing, `drawSelection` was the largest cost above that bare page. It
 * rewrites its cursor layer on every keystroke, so the page's layout is dirty again when
 * CodeMirror measures and it is forced then; and it blinks with an infinite CSS animation,
 * restarted on every selection change, which made the page paint a frame on every display
 * refresh: 4 frames per keystroke instead of 1. The browser's own caret costs neither.
 *
 * When it is drawn, the caret blinks the way a native one does: solid while you type or move
 * it, blinking only once you pause, from a timer that hides and shows the layer (two style
 * changes per period, none while typing; none at all with reduced motion asked for).
 */
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { drawSelection, EditorView, ViewPlugin, type ViewUpdate } from '@codemirror/view';

/** CodeMirror's default blink period. */
export const BLINK_PERIOD_MS = 1200;
const HIDDEN_CLASS = 'cm-caret-blink-off';

class CaretBlinker {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private hidden = false;
  private readonly reducedMotion =
    typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;

  constructor(private readonly view: EditorView) {
    this.restart();
  }

  update(update: ViewUpdate): void {
    if (update.selectionSet || update.docChanged || update.focusChanged) this.restart();
  }

  destroy(): void {
    this.stop();
  }

  /** Shows the caret at once and blinks again after half a period of calm. */
  private restart(): void {
    this.stop();
    this.setHidden(false);
    if (this.reducedMotion || !this.view.hasFocus) return;
    this.timer = setTimeout(this.toggle, BLINK_PERIOD_MS / 2);
  }

  private readonly toggle = (): void => {
    this.setHidden(!this.hidden);
    this.timer = setTimeout(this.toggle, BLINK_PERIOD_MS / 2);
  };

  private stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private setHidden(hidden: boolean): void {
    if (hidden === this.hidden) return;
    this.hidden = hidden;
    // On the layer itself: a class on the editor's root would make the browser look through
    // the whole editor for what it hides.
    this.view.scrollDOM.querySelector('.cm-cursorLayer')?.classList.toggle(HIDDEN_CLASS, hidden);
  }
}

function drawnSelection(): Extension {
  return [
    drawSelection({ cursorBlinkRate: 0 }),
    ViewPlugin.fromClass(CaretBlinker),
    EditorView.baseTheme({
      // drawSelection still restarts its (now zero-length) animation on every selection
      // change, which would cost a frame of its own per keystroke: no animation at all.
      '& .cm-cursorLayer': { animation: 'none !important' },
      [`& .cm-cursorLayer.${HIDDEN_CLASS}`]: { visibility: 'hidden' },
    }),
  ];
}

const drawing = new Compartment();

/** Whether CodeMirror draws the selection in `state` (for tests). */
export function drawsSelection(state: EditorState): boolean {
  const content = drawing.get(state);
  return Array.isArray(content) ? content.length > 0 : content !== undefined;
}

/** The browser's caret and selection for one range; CodeMirror's drawing for several. */
export function selectionDrawing(): Extension {
  return [
    // drawSelection() turns this on; with the browser drawing, it must be on all the same.
    EditorState.allowMultipleSelections.of(true),
    EditorState.transactionExtender.of((tr) => {
      const several = tr.newSelection.ranges.length > 1;
      if (several === drawsSelection(tr.startState)) return null;
      return { effects: drawing.reconfigure(several ? drawnSelection() : []) };
    }),
    drawing.of([]),
  ];
}
