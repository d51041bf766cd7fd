import { useEffect, useSyncExternalStore } from 'react';
import { docNameProblem } from '@weft/protocol';
import { ExportMenu } from '../components/ExportMenu';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PresenceBar } from '../components/PresenceBar';
import { SaveStatusBadge } from '../components/SaveStatusBadge';
import { ShareButton } from '../components/ShareButton';
import { ThemeToggle } from '../components/ThemeToggle';
import { TitleInput } from '../components/TitleInput';
import { Toolbar } from '../components/Toolbar';
import { useOpenDocument, type OpenDocument } from '../document/use-open-document';
import { CollabEditor } from '../editor/CollabEditor';

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
      <div className="editor-top">
        <header className="editor-header">
          <Link href="/" className="back-link" aria-label="All documents" title="All documents">
            <Icon name="chevronLeft" size={20} />
            <span className="brand-mark" aria-hidden="true">
              W
            </span>
          </Link>
          <div className="title-block">
            {open ? <DocumentTitle open={open} /> : <span className="title-input">{docName}</span>}
            <span className="doc-name" title="Document name (in its address)">
              {docName}
            </span>
          </div>
          <div className="header-end">
            {open && <SaveStatusBadge session={open.session} />}
            {open && <PresenceBar store={open.collaborators} controller={open.controller} />}
            {open && <ExportMenu session={open.session} docName={docName} />}
            <ThemeToggle />
            <ShareButton />
          </div>
        </header>
        {open && <Toolbar controller={open.controller} stats={open.stats} />}
      </div>
      <main className="page">
        {open?.ready ? (
          <CollabEditor controller={open.controller} />
        ) : (
          <div className="editor loading" aria-busy="true">
            <p className="muted">Opening…</p>
          </div>
        )}
      </main>
    </div>
  );
}

function DocumentTitle({ open }: { open: OpenDocument }) {
  const title = useSyncExternalStore(open.session.title.subscribe, open.session.title.getSnapshot);
  useEffect(() => {
    document.title = `${title.trim() === '' ? open.docName : title} — Weft`;
    return () => {
      document.title = 'Weft';
    };
  }, [title, open.docName]);
  return (
    <TitleInput
      store={open.session.title}
      placeholder="Untitled document"
      onEnter={() => open.controller.focus()}
    />
  );
}
