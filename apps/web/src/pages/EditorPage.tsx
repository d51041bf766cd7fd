import { useEffect, useState } from 'react';
import { DocumentSession, loadIdentity } from '@weft/client';
import { docNameProblem } from '@weft/protocol';
import { CollaboratorStore } from '../awareness-users';
import { Link } from '../components/Link';
import { PresenceBar } from '../components/PresenceBar';
import { SaveStatusBadge } from '../components/SaveStatusBadge';
import { CollabEditor } from '../editor/CollabEditor';
import { relayWebSocketUrl } from '../relay-url';

interface OpenDocument {
  readonly session: DocumentSession;
  readonly collaborators: CollaboratorStore;
}

function useOpenDocument(docName: string): OpenDocument | null {
  const [open, setOpen] = useState<OpenDocument | null>(null);
  useEffect(() => {
    const session = new DocumentSession({
      relayUrl: relayWebSocketUrl(),
      docName,
      user: loadIdentity(window.localStorage),
      persistLocally: true,
    });
    const collaborators = new CollaboratorStore(session.awareness);
    setOpen({ session, collaborators });
    // Closing the tab must remove our cursor for everyone at once, not after a timeout;
    // a page restored from the back/forward cache shows it again.
    const leave = () => session.leave();
    const rejoin = (event: PageTransitionEvent) => {
      if (event.persisted) session.setUser();
    };
    window.addEventListener('pagehide', leave);
    window.addEventListener('pageshow', rejoin);
    return () => {
      window.removeEventListener('pagehide', leave);
      window.removeEventListener('pageshow', rejoin);
      collaborators.destroy();
      session.destroy();
    };
  }, [docName]);
  return open;
}

export function EditorPage({ docName }: { docName: string }) {
  const problem = docNameProblem(docName);
  if (problem !== null) {
    return (
      <main className="list-page">
        <h1>Not a document name</h1>
        <p className="form-error">{problem}</p>
        <Link href="/">Back to documents</Link>
      </main>
    );
  }
  return <ValidEditorPage docName={docName} />;
}

function ValidEditorPage({ docName }: { docName: string }) {
  const open = useOpenDocument(docName);
  return (
    <div className="editor-page">
      <header className="editor-header">
        <Link href="/" className="brand small" aria-label="All documents">
          Weft
        </Link>
        <h1 className="doc-name">{docName}</h1>
        <div className="header-end">
          {open && <SaveStatusBadge tracker={open.session.saveStatus} />}
          {open && <PresenceBar store={open.collaborators} />}
        </div>
      </header>
      <main className="page">{open && <CollabEditor session={open.session} />}</main>
    </div>
  );
}
