/**
 * Opens a document for the editor page: the session (local copy, relay connection, save
 * status), the editor controller, and the stores the header reads. The editor itself is only
 * shown once `ready` — after the browser's stored copy is loaded — so a document reopened
 * offline shows its content instead of an empty page that fills in later.
 *
 * In secured mode the session gets the best stored token for this document, and a new one as
 * soon as the store has it (pasted into the access prompt, opened as a link in this or
 * another tab).
 *
 * On a document's address the document opens before React renders the page, and its editor
 * shows before the page does (`early-document.ts`); the page's hook takes the session and
 * the controller over, and the editor component takes the editor.
 */
import { useEffect, useLayoutEffect, useState, useSyncExternalStore } from 'react';
import type { DocumentSession } from '@weft/client';
import { accessTokens } from '../access/tokens';
import { EditorController } from '../editor/editor-controller';
import { takeNewTitle } from '../documents/new-document';
import { identityStore } from '../identity';
import { rememberDoc } from '../recent-docs';
import { CollaboratorStore } from './collaborators';
import { discardEarlyEditor, takeEarlyDocument } from './early-document';
import { newSession } from './new-session';
import { TextStatsStore } from './text-stats';

export interface OpenDocument {
  readonly docName: string;
  readonly session: DocumentSession;
  readonly controller: EditorController;
  readonly collaborators: CollaboratorStore;
  readonly stats: TextStatsStore;
  /** False until the stored copy is loaded (or could not be). */
  readonly ready: boolean;
}

export function useOpenDocument(docName: string): OpenDocument | null {
  const [open, setOpen] = useState<OpenDocument | null>(null);
  const identity = useSyncExternalStore(identityStore().subscribe, identityStore().getSnapshot);

  // A layout effect: the page renders again with the document before the browser paints the
  // frame without it, and with the text at once if the stored copy is already merged (a
  // session started early usually has it by now).
  useLayoutEffect(() => {
    const tokens = accessTokens();
    const early = takeEarlyDocument(docName);
    const session = early?.session ?? newSession(docName);
    // A token the store prefers now (a fresh link) replaces the session's.
    const applyBestToken = () => {
      const best = tokens.forDoc(docName);
      if (best !== null && best.token !== session.getAccess().token) session.setToken(best.token);
    };
    // The store may have changed since a session started early.
    applyBestToken();
    const unsubscribeTokens = tokens.subscribe(applyBestToken);
    const base = {
      docName,
      session,
      controller: early?.controller ?? new EditorController(session.text, session.awareness),
      collaborators: new CollaboratorStore(session.awareness),
      stats: new TextStatsStore(session.text),
    };
    // A `read` token makes the editor read-only (and a new token may change that).
    const applyRole = () => base.controller.setReadOnly(session.getAccess().role === 'read');
    applyRole();
    const unsubscribeAccess = session.subscribeAccess(applyRole);
    let disposed = false;
    const showText = () => {
      // Created from the list by title: the title goes into the document itself (meta map),
      // where every user and the relay's list read it. The address is new, so nothing to merge.
      const newTitle = takeNewTitle(docName);
      if (newTitle !== null && session.title.getSnapshot() === '') session.title.set(newTitle);
      setOpen({ ...base, ready: true });
    };
    if (session.isReady()) {
      showText();
    } else {
      setOpen({ ...base, ready: false });
      void session.ready.then(() => {
        if (!disposed) showText();
      });
    }

    // Closing the tab must remove our cursor for everyone at once, not after the 30 s
    // awareness timeout; a page restored from the back/forward cache shows it again.
    const leave = () => session.leave();
    const rejoin = (event: PageTransitionEvent) => {
      if (event.persisted) session.setUser();
    };
    window.addEventListener('pagehide', leave);
    window.addEventListener('pageshow', rejoin);

    const remember = () => rememberDoc(docName, session.title.getSnapshot());
    remember();
    const unsubscribeTitle = session.title.subscribe(remember);

    return () => {
      disposed = true;
      unsubscribeTokens();
      unsubscribeAccess();
      window.removeEventListener('pagehide', leave);
      window.removeEventListener('pageshow', rejoin);
      unsubscribeTitle();
      base.stats.destroy();
      base.collaborators.destroy();
      discardEarlyEditor(base.controller);
      base.controller.destroy();
      session.destroy();
    };
  }, [docName]);

  // A new name or colour shows up for everyone at once.
  useEffect(() => {
    open?.session.setUser(identity);
  }, [open?.session, identity]);

  return open;
}
