import { useSyncExternalStore } from 'react';
import type { DocumentSession } from '@weft/client';
import { Icon } from '../components/Icon';
import { refusalWords } from './refusal-words';

/**
 * Says plainly that the relay refuses this page, and what the operator must set, while the
 * session keeps retrying (see `AccessSnapshot.refusal`). It goes away by itself once the
 * relay accepts the connection.
 */
export function RelayRefusalNotice({ session }: { session: DocumentSession }) {
  const { refusal, role } = useSyncExternalStore(session.subscribeAccess, session.getAccess);
  if (refusal === null) return null;
  const words = refusalWords(refusal, role);
  return (
    <section
      className="access-prompt"
      role="alert"
      data-testid="relay-refusal"
      data-refusal={refusal.kind}
    >
      <div className="access-prompt-icon" aria-hidden="true">
        <Icon name="cloudOff" size={20} />
      </div>
      <div className="access-prompt-main">
        <h2 className="access-prompt-title">{words.title}</h2>
        <p className="access-prompt-body">{words.body}</p>
        {words.kept !== '' && <p className="access-prompt-body">{words.kept}</p>}
      </div>
    </section>
  );
}
