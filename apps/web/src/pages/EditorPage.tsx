import {
  Suspense,
  lazy,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { docNameProblem } from '@weft/protocol';
import { AccessPrompt } from '../access/AccessPrompt';
import { RelayRefusalNotice } from '../access/RelayRefusalNotice';
import { ExportMenu } from '../components/ExportMenu';
import { FollowStatus } from '../components/FollowStatus';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { PresenceBar } from '../components/PresenceBar';
import { SaveStatusBadge } from '../components/SaveStatusBadge';
import { ShareButton } from '../components/ShareButton';
import { ThemeToggle } from '../components/ThemeToggle';
import { TitleInput } from '../components/TitleInput';
import { Toolbar } from '../components/Toolbar';
import { HistoryButton } from '../history/HistoryButton';
import { MoveToTrashButton } from '../trash/MoveToTrashButton';
import { TrashNotice } from '../trash/TrashNotice';
import { rememberHeaderHeight } from '../document/header-height';
import { useOpenDocument, type OpenDocument } from '../document/use-open-document';
// For main.tsx: open the document and show its editor before React renders this page.
export { openDocumentEarly, showEditorEarly, untilPageMayRender } from '../document/early-document';
import { CollabEditor } from '../editor/CollabEditor';
import type { EditorController } from '../editor/editor-controller';
import { KEYBOARD_HINT_ID } from '../editor/extensions';
import { STICKY_HEADER_CLASS } from '../editor/sticky-header';
import { useMediaQuery } from '../lib/use-media-query';
import { SIDE_BY_SIDE_QUERY, previewMode } from '../preview/preview-mode';

// Markdown rendering and sanitising load only when the preview is first shown, so they are
// not part of the code the editor needs before it accepts input.
const MarkdownPreview = lazy(() => import('../preview/MarkdownPreview'));

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
  return open ? <OpenEditorPage open={open} /> : <EditorPageFrame docName={docName} open={null} />;
}

function OpenEditorPage({ open }: { open: OpenDocument }) {
  const access = useSyncExternalStore(open.session.subscribeAccess, open.session.getAccess);
  // The prompt shows again for each new problem, even after "Not now" for an earlier one.
  const [dismissed, setDismissed] = useState<typeof access.problem>(null);
  useEffect(() => {
    if (access.problem === null) setDismissed(null);
  }, [access.problem]);
  const promptOpen = access.problem !== null && dismissed !== access.problem;
  return (
    <EditorPageFrame
      docName={open.docName}
      open={open}
      readOnly={access.role === 'read'}
      secured={access.token !== null}
      onAskForLink={promptOpen ? undefined : () => setDismissed(null)}
    >
      <RelayRefusalNotice session={open.session} />
      <TrashNotice session={open.session} />
      {promptOpen && (
        <AccessPrompt
          session={open.session}
          docName={open.docName}
          onClose={() => setDismissed(access.problem)}
        />
      )}
    </EditorPageFrame>
  );
}

function EditorPageFrame({
  docName,
  open,
  readOnly = false,
  secured = false,
  onAskForLink,
  children,
}: {
  docName: string;
  open: OpenDocument | null;
  readOnly?: boolean;
  secured?: boolean;
  onAskForLink?: (() => void) | undefined;
  children?: ReactNode;
}) {
  const top = useRef<HTMLDivElement>(null);
  useEffect(() => (top.current ? rememberHeaderHeight(top.current) : undefined), []);
  return (
    <div className="editor-page">
      <div className={STICKY_HEADER_CLASS} ref={top}>
        <header className="editor-header">
          <Link href="/" className="back-link" aria-label="All documents" title="All documents">
            <Icon name="chevronLeft" size={20} />
            <span className="brand-mark" aria-hidden="true">
              W
            </span>
          </Link>
          <div className="title-block">
            {open ? (
              <DocumentTitle open={open} readOnly={readOnly} />
            ) : (
              <span className="title-input">{docName}</span>
            )}
            <span className="doc-name-row">
              <span className="doc-name" title="Document name (in its address)">
                {docName}
              </span>
              {readOnly && <ReadOnlyBadge />}
            </span>
          </div>
          <div className="header-end">
            {open && <SaveStatusBadge session={open.session} onAskForLink={onAskForLink} />}
            {open && <PresenceBar store={open.collaborators} controller={open.controller} />}
            {open && <ExportMenu session={open.session} docName={docName} />}
            {open && <HistoryButton open={open} readOnly={readOnly} />}
            {open && !readOnly && <MoveToTrashButton session={open.session} docName={docName} />}
            <ThemeToggle />
            <ShareButton secured={secured} />
          </div>
        </header>
        {open && <Toolbar controller={open.controller} stats={open.stats} readOnly={readOnly} />}
      </div>
      {open?.ready ? (
        <EditorArea controller={open.controller} />
      ) : (
        <main className="page">
          <div className="editor loading" aria-busy="true">
            <p className="muted">Opening…</p>
          </div>
        </main>
      )}
      {open && <FollowStatus follow={open.controller.follow} />}
      {children}
    </div>
  );
}

/**
 * The text, and the preview when it is on: beside the text on a wide screen, in its place on
 * a narrow one (the editor stays mounted, hidden, so nothing about it is lost).
 */
function EditorArea({ controller }: { controller: EditorController }) {
  const preview = useSyncExternalStore(previewMode().subscribe, previewMode().getSnapshot);
  const wide = useMediaQuery(SIDE_BY_SIDE_QUERY);
  const layout = !preview ? 'page' : wide ? 'page side-by-side' : 'page preview-only';
  return (
    <main className={layout}>
      <div className="source-pane" hidden={preview && !wide}>
        <p className="keyboard-hint" id={KEYBOARD_HINT_ID}>
          <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the editor
        </p>
        <CollabEditor controller={controller} />
      </div>
      {preview && (
        <Suspense fallback={<p className="preview-pane muted">Loading the preview…</p>}>
          <MarkdownPreview controller={controller} sideBySide={wide} />
        </Suspense>
      )}
    </main>
  );
}

function ReadOnlyBadge() {
  return (
    <span
      className="role-badge"
      data-testid="read-only-badge"
      title="You opened a read-only link: you see every change as it happens, but cannot edit."
    >
      <Icon name="eye" size={13} />
      Read only
    </span>
  );
}

function DocumentTitle({ open, readOnly }: { open: OpenDocument; readOnly: boolean }) {
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
      readOnly={readOnly}
      onEnter={() => open.controller.focus()}
    />
  );
}
