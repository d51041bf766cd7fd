/**
 * The rendered preview (loaded lazily: markdown-it and DOMPurify are not part of the code the
 * editor needs to start). Side by side (`sideBySide`) it is a pane that scrolls in step with
 * the text; otherwise it takes the text's place and scrolls with the page.
 */
import { useEffect, useRef } from 'react';
import type { EditorController } from '../editor/editor-controller';
import { STICKY_HEADER_CLASS, coveredTop } from '../editor/sticky-header';
import { LivePreview } from './live-preview';
import { SyncedScroll } from './synced-scroll';

export default function MarkdownPreview({
  controller,
  sideBySide,
}: {
  controller: EditorController;
  sideBySide: boolean;
}) {
  const pane = useRef<HTMLElement>(null);
  const content = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!pane.current || !content.current) return;
    const sync = sideBySide ? new SyncedScroll(pane.current, controller) : null;
    const live = new LivePreview(content.current, controller, () => sync?.invalidate());
    return () => {
      live.destroy();
      sync?.destroy();
    };
  }, [controller, sideBySide]);

  // The pane stays under the sticky header and fills the rest of the window.
  useEffect(() => {
    const element = pane.current;
    if (!element || !sideBySide) return;
    const place = () => {
      const top = coveredTop();
      element.style.top = `${top}px`;
      element.style.maxHeight = `calc(100vh - ${top + 16}px)`;
    };
    place();
    const observer = new ResizeObserver(place);
    const header = document.querySelector(`.${STICKY_HEADER_CLASS}`);
    if (header) observer.observe(header);
    return () => observer.disconnect();
  }, [sideBySide]);

  return (
    <section
      ref={pane}
      className={sideBySide ? 'preview-pane side-by-side' : 'preview-pane'}
      aria-label="Preview"
      data-testid="preview"
      // A pane that scrolls on its own must be reachable with the keyboard to be scrolled.
      tabIndex={sideBySide ? 0 : undefined}
    >
      <div className="markdown-body" ref={content} />
    </section>
  );
}
