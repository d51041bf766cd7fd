import type { DocumentSession } from '@weft/client';
import { downloadText, exportFileName, markdownToPlainText } from '../document/export';
import { usePopover } from '../lib/use-popover';
import { Icon } from './Icon';

/** Download the document as Markdown or plain text. Reads the text only when clicked. */
export function ExportMenu({ session, docName }: { session: DocumentSession; docName: string }) {
  const popover = usePopover();
  const download = (kind: 'md' | 'txt') => {
    const text = session.text.toString();
    const title = session.title.getSnapshot();
    if (kind === 'md') {
      downloadText(text, exportFileName(title, docName, 'md'), 'text/markdown');
    } else {
      downloadText(markdownToPlainText(text), exportFileName(title, docName, 'txt'), 'text/plain');
    }
    popover.close();
  };
  return (
    <div className="popover-root" ref={popover.rootRef}>
      <button
        type="button"
        ref={popover.buttonRef}
        className="button ghost"
        aria-expanded={popover.open}
        aria-haspopup="menu"
        title="Download this document"
        onClick={popover.toggle}
      >
        <Icon name="download" size={16} />
        <span className="button-text">Export</span>
      </button>
      {popover.open && (
        <div className="popover align-end menu" role="menu">
          <button type="button" role="menuitem" onClick={() => download('md')}>
            <Icon name="file" size={16} />
            <span>
              Markdown <span className="muted">(.md)</span>
            </span>
          </button>
          <button type="button" role="menuitem" onClick={() => download('txt')}>
            <Icon name="file" size={16} />
            <span>
              Plain text <span className="muted">(.txt)</span>
            </span>
          </button>
        </div>
      )}
    </div>
  );
}
