/**
 * Scrolls the side-by-side preview pane in step with the editor, both ways, by source line
 * (scroll-sync.ts has the mapping). The editor scrolls with the window, under the sticky
 * header; the preview pane scrolls on its own. Each side remembers where it last put the
 * other, so the scroll event its own move causes is not taken for the user's.
 */
import type { EditorView } from '@codemirror/view';
import type { EditorController } from '../editor/editor-controller';
import { coveredTop } from '../editor/sticky-header';
import { lineForTop, normaliseAnchors, topForLine, type LineAnchor } from './scroll-sync';

export class SyncedScroll {
  private anchors: readonly LineAnchor[] | null = null;
  private setPaneTop = Number.NaN;
  private setWindowY = Number.NaN;
  private frame = 0;

  constructor(
    private readonly pane: HTMLElement,
    private readonly controller: EditorController,
  ) {
    window.addEventListener('scroll', this.onWindowScroll, { passive: true });
    window.addEventListener('resize', this.invalidate);
    pane.addEventListener('scroll', this.onPaneScroll, { passive: true });
  }

  /** The preview changed (re-rendered): measure again and follow the editor. */
  readonly invalidate = (): void => {
    this.anchors = null;
    this.followEditor();
  };

  destroy(): void {
    cancelAnimationFrame(this.frame);
    window.removeEventListener('scroll', this.onWindowScroll);
    window.removeEventListener('resize', this.invalidate);
    this.pane.removeEventListener('scroll', this.onPaneScroll);
  }

  private readonly onWindowScroll = (): void => {
    if (Math.abs(window.scrollY - this.setWindowY) < 2) return;
    this.setWindowY = Number.NaN;
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.followEditor());
  };

  private readonly onPaneScroll = (): void => {
    if (Math.abs(this.pane.scrollTop - this.setPaneTop) < 2) return;
    this.setPaneTop = Number.NaN;
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.followPane());
  };

  private followEditor(): void {
    const view = this.controller.editorView;
    if (view === null) return;
    this.pane.scrollTop = topForLine(this.measure(view), topLine(view));
    this.setPaneTop = this.pane.scrollTop;
  }

  private followPane(): void {
    const view = this.controller.editorView;
    if (view === null) return;
    const line = lineForTop(this.measure(view), this.pane.scrollTop);
    window.scrollTo({ top: windowYForLine(view, line) });
    this.setWindowY = window.scrollY;
  }

  private measure(view: EditorView): readonly LineAnchor[] {
    if (this.anchors !== null) return this.anchors;
    const paneTop = this.pane.getBoundingClientRect().top - this.pane.scrollTop;
    const anchors: LineAnchor[] = [];
    for (const block of this.pane.querySelectorAll<HTMLElement>('[data-line]')) {
      const line = Number(block.dataset.line);
      if (Number.isInteger(line))
        anchors.push({ line, top: block.getBoundingClientRect().top - paneTop });
    }
    const end = { line: view.state.doc.lines, top: this.pane.scrollHeight };
    this.anchors = normaliseAnchors(anchors, end);
    return this.anchors;
  }
}

/** The (fractional, zero-based) source line at the top of the editor's visible part. */
function topLine(view: EditorView): number {
  const height = coveredTop() - view.documentTop;
  if (height <= 0) return 0;
  const block = view.lineBlockAtHeight(height);
  const line = view.state.doc.lineAt(block.from).number - 1;
  const within = block.height > 0 ? (height - block.top) / block.height : 0;
  return line + Math.min(1, Math.max(0, within));
}

/** The window scroll offset that puts a (fractional) source line just under the header. */
function windowYForLine(view: EditorView, line: number): number {
  const doc = view.state.doc;
  const whole = Math.min(doc.lines - 1, Math.max(0, Math.floor(line)));
  const block = view.lineBlockAt(doc.line(whole + 1).from);
  const y = block.top + (line - whole) * block.height;
  return window.scrollY + view.documentTop + y - coveredTop();
}
