/** The header's "History" button, and the History panel it opens beside the editor. */
import { useState } from 'react';
import type { OpenDocument } from '../document/use-open-document';
import { HistoryPanel } from './HistoryPanel';
import './history.css';

export function HistoryButton({ open, readOnly }: { open: OpenDocument; readOnly: boolean }) {
  const [shown, setShown] = useState(false);
  return (
    <>
      <button
        type="button"
        className="history-button"
        aria-expanded={shown}
        data-testid="history-toggle"
        onClick={() => setShown((value) => !value)}
      >
        History
      </button>
      {shown && <HistoryPanel open={open} readOnly={readOnly} onClose={() => setShown(false)} />}
    </>
  );
}
