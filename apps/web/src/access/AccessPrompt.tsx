import { useId, useState, useSyncExternalStore } from 'react';
import type { AccessProblem, AccessRole, DocumentSession } from '@weft/client';
import { Icon } from '../components/Icon';
import { LinkForm } from './LinkForm';

/** The prompt's words for each problem; readers have no edits to reassure about. */
function copyFor(problem: AccessProblem, role: AccessRole) {
  const kept =
    role === 'read'
      ? ''
      : ' Nothing is lost: what you write meanwhile is kept on this device and saved as soon as you are back.';
  switch (problem) {
    case 'expired':
      return {
        title: 'Your access link has expired',
        body: `Paste a fresh share link for this document to reconnect.${kept}`,
        submit: 'Reconnect',
      };
    case 'missing':
      return {
        title: 'This document needs an access link',
        body: 'This Weft server is private. Paste the share link you were given (it ends in #token=…) to open the document.',
        submit: 'Open',
      };
    case 'refused':
      return {
        title: 'The server did not accept your access link',
        body: `It may be for another server, or no longer valid. Paste a fresh share link to reconnect.${kept}`,
        submit: 'Reconnect',
      };
  }
}

/**
 * The prompt for a fresh share link when the relay refuses this session (expired, missing or
 * refused token). It does not block the editor: with a write link the user keeps writing
 * while they find a new link, and the edits merge once it reconnects.
 */
export function AccessPrompt({
  session,
  docName,
  onClose,
}: {
  session: DocumentSession;
  docName: string;
  onClose: () => void;
}) {
  const { problem, role } = useSyncExternalStore(session.subscribeAccess, session.getAccess);
  const titleId = useId();
  const bodyId = useId();
  // Take the focus only if the user is not typing somewhere (e.g. on a page that just opened).
  const [takeFocus] = useState(
    () => document.activeElement === null || document.activeElement === document.body,
  );
  if (problem === null) return null;
  const copy = copyFor(problem, role);
  return (
    <section
      className="access-prompt"
      role="dialog"
      aria-modal="false"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid="access-prompt"
      data-problem={problem}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="access-prompt-icon" aria-hidden="true">
        <Icon name="lock" size={20} />
      </div>
      <div className="access-prompt-main">
        <h2 id={titleId} className="access-prompt-title">
          {copy.title}
        </h2>
        <p id={bodyId} className="access-prompt-body">
          {copy.body}
        </p>
        <LinkForm
          docName={docName}
          submitLabel={copy.submit}
          icon={problem === 'missing' ? 'link' : 'refresh'}
          autoFocus={takeFocus}
          // The store hands a new token to the session; this also retries a token the relay
          // refused once (it may have been a hiccup).
          onAccepted={({ token }) => session.setToken(token)}
        />
      </div>
      <button
        type="button"
        className="icon-button access-prompt-close"
        aria-label="Not now"
        title="Not now"
        onClick={onClose}
      >
        <Icon name="close" size={18} />
      </button>
    </section>
  );
}
