/**
 * A document opened before React renders its page. On a document's address main.tsx starts
 * the session (reading the stored copy, connecting to the relay) as soon as the editor chunk
 * has run, shows the editor in a stand-in of the page once the stored copy is merged
 * (`page-stand-in.ts`), and only then renders the page with React; the page takes the
 * session, the controller and the very same editor over.
 *
 * Why: running React for the first time in a page (compiling it, then its first renders and
 * commits of the page) took longer than anything else between the editor chunk and a stored
 * document on screen. With it after the editor, opening a stored document no longer waits
 * for it at all, and a first visit's text is not held up behind it either: React then waits
 * for the relay's answer (`untilPageMayRender`) and renders in slices (main.tsx).
 */
import type { DocumentSession } from '@weft/client';
import { docNameProblem } from '@weft/protocol';
import { EditorController } from '../editor/editor-controller';
import { MountedEditor } from '../editor/mounted-editor';
import { previewMode } from '../preview/preview-mode';
import { newSession } from './new-session';
import { pageStandIn, type PageStandIn } from './page-stand-in';

interface EarlyDocument {
  readonly docName: string;
  readonly session: DocumentSession;
  readonly controller: EditorController;
  /** Set once the editor shows in the stand-in, until the page takes it over. */
  shown: { readonly editor: MountedEditor; readonly standIn: PageStandIn } | null;
}

/** Started early, until the page's hook takes it. */
let early: EarlyDocument | null = null;
/** The editor shown early, between the hook taking its document and the page taking it. */
let handedOver: EarlyDocument | null = null;
/** Once a page has opened a document, a document opened early would never be taken. */
let pageOpened = false;

/**
 * Starts opening `docName` now, for the editor page about to render it. Nothing for a name
 * the page will refuse, nor once a page has opened a document itself.
 */
export function openDocumentEarly(docName: string, storedCopyKnownEmpty?: Promise<boolean>): void {
  if (pageOpened || early !== null || docNameProblem(docName) !== null) return;
  const session = newSession(docName, storedCopyKnownEmpty);
  early = {
    docName,
    session,
    controller: new EditorController(session.text, session.awareness),
    shown: null,
  };
}

/**
 * Once the stored copy is merged (at once on a first visit), shows the editor in a stand-in
 * of the page, put in the document before `before`. Resolves when it shows, or when there is
 * nothing to show early (no document opened early, or a page took it first).
 */
export async function showEditorEarly(before: Element): Promise<void> {
  const opened = early;
  if (opened === null) return;
  // With the preview on, the page lays the text out beside it or hides it: the stand-in,
  // which has no preview, would put the editor where it will not stay.
  if (previewMode().getSnapshot()) return;
  await opened.session.ready;
  if (early !== opened || opened.shown !== null) return;
  const standIn = pageStandIn(opened.docName, opened.session.title.getSnapshot());
  // Read-only access as the session knows it now; the page keeps it up to date later.
  opened.controller.setReadOnly(opened.session.getAccess().role === 'read');
  // Made before the stand-in goes in, so that a failure leaves nothing on the page.
  const editor = new MountedEditor(opened.controller, standIn.editorHost);
  before.before(standIn.element);
  opened.shown = { editor, standIn };
}

/**
 * How long a first visit's page waits for the relay's text before rendering around the
 * (empty) editor anyway: a relay that answers slowly, or not at all, costs the page no more.
 */
const FIRST_VISIT_WAIT_MS = 400;

/**
 * When React should render the page around the editor shown early: at once if the editor
 * shows a stored copy. On a first visit (an empty editor, nothing stored) the text comes from
 * the relay, and React's first render of the page shared the main thread with taking it in,
 * so the page waits until the connection has synced, has failed or is refused, or for
 * `FIRST_VISIT_WAIT_MS`, whichever comes first.
 */
export function untilPageMayRender(): Promise<void> {
  const opened = early;
  if (opened?.shown == null || opened.session.text.length > 0) return Promise.resolve();
  const { session } = opened;
  return new Promise<void>((resolve) => {
    const settled = () => {
      const { phase } = session.connection.getSnapshot();
      return phase !== 'connecting' || session.getAccess().problem !== null;
    };
    if (settled()) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      unsubscribeConnection();
      unsubscribeAccess();
      resolve();
    };
    const check = () => settled() && done();
    const timer = setTimeout(done, FIRST_VISIT_WAIT_MS);
    const unsubscribeConnection = session.connection.subscribe(check);
    const unsubscribeAccess = session.subscribeAccess(check);
  });
}

/**
 * The session and controller opened early for `docName`, or null (then the page opens its
 * own). A document opened early under another name is closed.
 */
export function takeEarlyDocument(
  docName: string,
): { readonly session: DocumentSession; readonly controller: EditorController } | null {
  pageOpened = true;
  const started = early;
  early = null;
  if (started === null) return null;
  if (started.docName !== docName) {
    closeEarly(started);
    return null;
  }
  if (started.shown !== null) handedOver = started;
  return started;
}

/**
 * The editor shown early for `controller`, moved into `host` (the stand-in goes), or null
 * when there is none: the page then makes its own.
 */
export function adoptEarlyEditor(
  controller: EditorController,
  host: HTMLElement,
): MountedEditor | null {
  const shown = handedOver?.controller === controller ? handedOver.shown : null;
  if (shown === null) return null;
  handedOver = null;
  shown.editor.moveTo(host);
  shown.standIn.element.remove();
  return shown.editor;
}

/**
 * The page is done with `controller` (it closed the document): an editor shown early for it
 * that the page never took over goes, with its stand-in.
 */
export function discardEarlyEditor(controller: EditorController): void {
  if (handedOver?.controller !== controller) return;
  const { shown } = handedOver;
  handedOver = null;
  shown?.editor.destroy();
  shown?.standIn.element.remove();
}

function closeEarly(started: EarlyDocument): void {
  started.shown?.editor.destroy();
  started.shown?.standIn.element.remove();
  started.controller.destroy();
  started.session.destroy();
}
