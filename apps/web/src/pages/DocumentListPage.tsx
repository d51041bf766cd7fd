import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import { TITLE_MAX_LENGTH } from '@weft/client';
import { LinkForm } from '../access/LinkForm';
import { accessTokens } from '../access/tokens';
import { Icon } from '../components/Icon';
import { Link } from '../components/Link';
import { ThemeToggle } from '../components/ThemeToggle';
import {
  DocListAccessError,
  applyDocEvent,
  displayTitle,
  fetchDocs,
  filterDocs,
  type DocSummary,
} from '../document-list';
import { listenForDocEvents } from '../documents/live-docs';
import { newDocument, rememberNewTitle } from '../documents/new-document';
import { relativeTime } from '../lib/relative-time';
import { loadRecentDocs, type RecentDoc } from '../recent-docs';
import { docPath, navigate } from '../router';
import { moveToTrash } from '../trash/trash-api';
import { TrashView } from '../trash/TrashView';

type ListState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly docs: readonly DocSummary[] }
  /** Secured mode, and no stored token is accepted (none, or all expired). */
  | { readonly kind: 'locked'; readonly hadTokens: boolean }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Loads the list now, again when the tab becomes visible, when the network returns, and when
 * the access tokens change (a share link opened or pasted).
 */
function useDocList(): {
  list: ListState;
  reload: () => void;
  forget: (name: string) => void;
} {
  const [list, setList] = useState<ListState>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  // Gone from the list at once; the relay's event says the same a moment later.
  const forget = useCallback((name: string) => {
    setList((current) =>
      current.kind === 'ready'
        ? { kind: 'ready', docs: current.docs.filter((doc) => doc.name !== name) }
        : current,
    );
  }, []);
  useEffect(() => {
    let controller = new AbortController();
    const load = () => {
      controller.abort();
      controller = new AbortController();
      const { signal } = controller;
      const tokens = accessTokens()
        .valid()
        .map((item) => item.token);
      fetchDocs(signal, tokens).then(
        (docs) => setList({ kind: 'ready', docs }),
        (error: unknown) => {
          if (signal.aborted) return;
          if (error instanceof DocListAccessError) {
            setList({ kind: 'locked', hadTokens: accessTokens().getSnapshot().length > 0 });
            return;
          }
          const message = error instanceof Error ? error.message : String(error);
          setList((current) => (current.kind === 'ready' ? current : { kind: 'error', message }));
        },
      );
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') load();
    };
    // Live changes from the relay (created, renamed, edited, trashed, who is in each).
    let stopLive: () => void = () => undefined;
    const listen = () => {
      stopLive();
      const tokens = accessTokens()
        .valid()
        .map((item) => item.token);
      stopLive = listenForDocEvents(tokens, {
        onEvent: (event) =>
          setList((current) =>
            current.kind === 'ready'
              ? { kind: 'ready', docs: applyDocEvent(current.docs, event) }
              : current,
          ),
        onReset: load,
      });
    };
    const onTokens = () => {
      load();
      listen();
    };
    load();
    listen();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', load);
    const unsubscribeTokens = accessTokens().subscribe(onTokens);
    return () => {
      stopLive();
      unsubscribeTokens();
      controller.abort();
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', load);
    };
  }, [generation]);
  return { list, reload, forget };
}

export function DocumentListPage() {
  const { list, reload, forget } = useDocList();
  const [view, setView] = useState<'docs' | 'trash'>('docs');
  const [trashProblem, setTrashProblem] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [newTitle, setNewTitle] = useState('');

  useEffect(() => {
    document.title = 'Weft';
  }, []);

  const create = (event: SyntheticEvent) => {
    event.preventDefault();
    const created = newDocument(newTitle);
    rememberNewTitle(created.name, created.title);
    navigate(docPath(created.name));
  };

  const trash = (name: string) => {
    setTrashProblem(null);
    const tokens = accessTokens()
      .valid()
      .map((item) => item.token);
    moveToTrash(name, tokens).then(
      () => forget(name),
      (error: unknown) =>
        setTrashProblem(
          `Could not move it to the trash: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
  };

  return (
    <main className="list-page">
      <header className="list-header">
        <div>
          <h1 className="brand">Weft</h1>
          <p className="tagline">Write together, online or off.</p>
        </div>
        <ThemeToggle />
      </header>
      <form className="new-doc" onSubmit={create}>
        <input
          className="text-input"
          aria-label="New document title"
          placeholder="Title for a new document (optional)"
          value={newTitle}
          onChange={(event) => setNewTitle(event.target.value)}
          maxLength={TITLE_MAX_LENGTH}
        />
        <button type="submit" className="button primary">
          <Icon name="plus" size={16} />
          New document
        </button>
      </form>
      <section aria-labelledby="docs-heading" className="docs-section">
        <div className="docs-heading-row">
          <h2 id="docs-heading" className="section-title">
            {view === 'trash' ? 'Trash' : 'Documents'}
          </h2>
          <button
            type="button"
            className="button ghost small"
            data-testid="trash-toggle"
            onClick={() => setView(view === 'trash' ? 'docs' : 'trash')}
          >
            {view === 'trash' ? 'Back to documents' : 'Trash'}
          </button>
          <label className="filter">
            <Icon name="search" size={16} />
            <input
              type="search"
              aria-label="Filter documents"
              placeholder="Filter"
              data-testid="doc-filter"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
          </label>
        </div>
        {trashProblem !== null && (
          <p className="form-error" role="status">
            {trashProblem}
          </p>
        )}
        {view === 'trash' ? (
          <TrashView onRestored={reload} />
        ) : (
          <DocList list={list} query={query} onTrash={trash} />
        )}
      </section>
    </main>
  );
}

function DocList({
  list,
  query,
  onTrash,
}: {
  list: ListState;
  query: string;
  onTrash: (name: string) => void;
}) {
  const now = Date.now();
  if (list.kind === 'loading') return <p className="muted empty">Loading documents…</p>;
  if (list.kind === 'locked') return <PrivateServerNotice list={list} query={query} now={now} />;
  if (list.kind === 'error') {
    const recent = filterDocs(loadRecentDocs(), query, (a, b) => b.openedAt - a.openedAt);
    return (
      <>
        <p className="notice" title={list.message}>
          <Icon name="cloudOff" size={16} />
          {navigator.onLine ? 'Can’t reach the server right now.' : 'You’re offline.'} Documents
          opened on this device still open, and you can keep editing them:
        </p>
        <RecentList docs={recent} now={now} />
      </>
    );
  }
  if (list.docs.length === 0) {
    return <p className="muted empty">No documents yet. Create the first one above.</p>;
  }
  const docs = filterDocs(list.docs, query, (a, b) => b.modified - a.modified);
  if (docs.length === 0) {
    return <p className="muted empty">No documents match “{query.trim()}”.</p>;
  }
  return (
    <ul className="doc-list" data-testid="doc-list">
      {docs.map((doc) => (
        <li key={doc.name} className="doc-row">
          <Link href={docPath(doc.name)} className="doc-link" data-doc={doc.name}>
            <span className="doc-title">{displayTitle(doc)}</span>
            <span className="doc-meta">
              {doc.title !== null && <span className="doc-slug">{doc.name}</span>}
              <time
                dateTime={new Date(doc.modified).toISOString()}
                title={new Date(doc.modified).toLocaleString()}
              >
                edited {relativeTime(doc.modified, now)}
              </time>
              {doc.people !== undefined && doc.people > 0 && (
                <span className="doc-people" data-testid="doc-people">
                  {doc.people === 1 ? '1 person here now' : `${doc.people} people here now`}
                </span>
              )}
            </span>
          </Link>
          <div className="doc-row-actions">
            <button
              type="button"
              className="button ghost small"
              aria-label={`Move to trash: ${displayTitle(doc)}`}
              data-testid="doc-trash"
              onClick={() => onTrash(doc.name)}
            >
              Move to trash
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}

/**
 * Secured mode without a working token: what that means, a place to paste a share link, and
 * the documents opened on this device (their links may still be valid).
 */
function PrivateServerNotice({
  list,
  query,
  now,
}: {
  list: { readonly hadTokens: boolean };
  query: string;
  now: number;
}) {
  const recent = filterDocs(loadRecentDocs(), query, (a, b) => b.openedAt - a.openedAt);
  return (
    <>
      <div className="private-notice" data-testid="private-notice">
        <div className="private-notice-head">
          <Icon name="lock" size={20} />
          <div>
            <h3>{list.hadTokens ? 'Your access links have expired' : 'This server is private'}</h3>
            <p>
              {list.hadTokens
                ? 'Ask whoever shared the documents with you for fresh links, and paste one here.'
                : 'Only people with a share link can see its documents. Open the link you were given, or paste it here.'}
            </p>
          </div>
        </div>
        <LinkForm
          docName={null}
          submitLabel="Open"
          onAccepted={({ doc }) => {
            // A link for one document opens it; a prefix link lists what it grants.
            if (!doc.endsWith('*')) navigate(docPath(doc));
          }}
        />
      </div>
      {recent.length > 0 && (
        <>
          <h3 className="section-subtitle">Opened on this device</h3>
          <RecentList docs={recent} now={now} />
        </>
      )}
    </>
  );
}

function RecentList({ docs, now }: { docs: readonly RecentDoc[]; now: number }) {
  if (docs.length === 0) return <p className="muted empty">None yet.</p>;
  return (
    <ul className="doc-list">
      {docs.map((doc) => (
        <li key={doc.name}>
          <Link href={docPath(doc.name)} className="doc-link" data-doc={doc.name}>
            <span className="doc-title">{displayTitle(doc)}</span>
            <span className="doc-meta">
              {doc.title !== null && <span className="doc-slug">{doc.name}</span>}
              <span>opened here {relativeTime(doc.openedAt, now)}</span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
