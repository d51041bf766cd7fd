import { useState, useSyncExternalStore } from 'react';
import type { DocumentSession } from '@weft/client';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';

/**
 * Shown once the relay closed this editor with 4404: the document is in the trash. This
 * browser keeps its copy but does not sync it (DocumentSession) until the user restores the
 * document here, which also sends whatever this device holds that the server lacks. With
 * 4410 the document was deleted for good: this device's copy (if it has one) starts it again
 * only when the user chooses "Restore from this device".
 */
export function TrashNotice({ session }: { session: DocumentSession }) {
  const { trashed, deletedForGood, role } = useSyncExternalStore(
    session.subscribeAccess,
    session.getAccess,
  );
  const [restoring, setRestoring] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!trashed) return null;
  // Deleted for good, a device that never had it has nothing to restore.
  const hasCopy = !deletedForGood || session.doc.store.clients.size > 0;
  const restore = () => {
    setRestoring(true);
    setError(null);
    session.restoreFromDevice().then(
      () => setRestoring(false),
      (failure: unknown) => {
        setRestoring(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };
  return (
    <section
      className="access-prompt"
      role="alert"
      aria-labelledby="trash-notice-title"
      data-testid="trash-notice"
    >
      <div className="access-prompt-icon" aria-hidden="true">
        <Icon name="close" size={20} />
      </div>
      <div className="access-prompt-main">
        <h2 className="access-prompt-title" id="trash-notice-title">
          {deletedForGood
            ? 'This document was deleted for good'
            : 'This document was moved to the trash'}
        </h2>
        <p className="access-prompt-body">
          {deletedForGood
            ? hasCopy
              ? 'The server no longer has it, and nothing is synced. This device still has a copy: restoring starts the document again for everyone from what is here.'
              : 'The server no longer has it, and this device has no copy.'
            : 'Nothing is synced while it is there. This device keeps its copy: restoring brings the document back for everyone, with any edits made here that the server does not have.'}
        </p>
        {error !== null && (
          <p className="form-error" role="status">
            {error}
          </p>
        )}
        <div className="trash-actions">
          {role === 'write' && hasCopy && (
            <button
              type="button"
              className="button primary"
              onClick={restore}
              disabled={restoring}
              data-testid="trash-restore"
            >
              {restoring ? 'Restoring…' : 'Restore from this device'}
            </button>
          )}
          <Link href="/" className="button ghost">
            Back to documents
          </Link>
        </div>
      </div>
    </section>
  );
}
