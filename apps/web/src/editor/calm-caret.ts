/**
 * The drawn caret, blinking the way a native one does: solid while you type or move it, and
 * blinking only once you pause.
 *
 * CodeMirror's `drawSelection` blinks its caret with an infinite CSS animation that it
 * restarts on every selection change. A running animation makes the page produce a frame on
 * every display refresh, each with a style recalculation and a commit: profiled while typing,
 * that took the typist's page from about 2 frames per keystroke to 4, and was the largest
 * single cost above the bare y-codemirror.next page (which keeps the browser's own caret).
 * Here the animation is off and a timer hides and shows the caret layer: two style changes
 * per period, none while typing. With reduced motion asked for, the caret does not blink.
 */
import { type Extension } from '@codemirror/state';
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

export function calmCaret(): Extension {
  return [
    drawSelection({ cursorBlinkRate: 0 }),
    ViewPlugin.fromClass(CaretBlinker),
    EditorView.baseTheme({
      [`& .cm-cursorLayer.${HIDDEN_CLASS}`]: { visibility: 'hidden' },
    }),
  ];
}
