/** The header's "History" button, and the History panel it opens beside the editor. */
import { Suspense, lazy, useState } from 'react';
import type { OpenDocument } from '../document/use-open-document';
import './history.css';

// The panel is the largest part of the page's own code, and nobody needs it to type: it loads
// when first opened (the service worker has it cached, offline too).
const HistoryPanel = lazy(() =>
  import('./HistoryPanel').then((module) => ({ default: module.HistoryPanel })),
);

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
      {shown && (
        <Suspense fallback={null}>
          <HistoryPanel open={open} readOnly={readOnly} onClose={() => setShown(false)} />
        </Suspense>
      )}
    </>
  );
}
