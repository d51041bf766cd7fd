/**
 * Version history beside the editor: the relay's checkpoints with readable times, names and
 * authors; a read-only preview of one with its differences from the current text marked;
 * "Name this version"; "Restore" with a confirmation; and the Authors view, which colours the
 * current text by who wrote it. A restore is applied here, as this user's own edit (see
 * apply-restore.ts), so Ctrl+Z takes it back.
 */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { textChange } from '@weft/protocol';
import type { OpenDocument } from '../document/use-open-document';
import { identityStore } from '../identity';
import { initials } from '../lib/initials';
import { applyRestore } from './apply-restore';
import { authorColor, authoredRuns } from './authored-runs';
import { HistoryApi, type AuthorEntry, type Version, type VersionEntry } from './history-api';
import { readableTime } from './readable-time';

type View = 'versions' | 'authors';

export function HistoryPanel({
  open,
  readOnly,
  onClose,
}: {
  open: OpenDocument;
  readOnly: boolean;
  onClose: () => void;
}) {
  const api = useMemo(
    () => new HistoryApi(open.session, open.docName, () => identityStore().getSnapshot()),
    [open],
  );
  const [view, setView] = useState<View>('versions');
  const [versions, setVersions] = useState<readonly VersionEntry[] | null>(null);
  const [selected, setSelected] = useState<Version | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setVersions(await api.list());
    } catch (error) {
      setMessage(`Could not load the history: ${(error as Error).message}`);
    }
  }, [api]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setMessage(await work());
      await refresh();
    } catch (error) {
      setMessage((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const restore = (version: Version) =>
    act(async () => {
      await api.prepareRestore(version.id);
      applyRestore(open.controller, open.session.doc.getMap('meta'), version);
      await savedOrTimeout(open, 10_000);
      await api.recordRestore(version.id);
      setSelected(null);
      return `Restored ${describe(version)}. Undo (Ctrl+Z) takes it back.`;
    });

  return (
    <aside className="history-panel" aria-labelledby="history-heading" data-testid="history-panel">
      <header className="history-header">
        <h2 id="history-heading">Version history</h2>
        <button type="button" className="history-button" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="history-tabs" role="group" aria-label="Show">
        <button
          type="button"
          className="history-button"
          aria-pressed={view === 'versions'}
          onClick={() => setView('versions')}
        >
          Versions
        </button>
        <button
          type="button"
          className="history-button"
          aria-pressed={view === 'authors'}
          onClick={() => setView('authors')}
        >
          Authors
        </button>
      </div>
      <p className="history-message" role="status" aria-live="polite">
        {message}
      </p>
      {view === 'authors' ? (
        <AuthorsView open={open} api={api} />
      ) : selected ? (
        <VersionPreview
          version={selected}
          open={open}
          readOnly={readOnly}
          busy={busy}
          onRestore={() => void restore(selected)}
          onBack={() => setSelected(null)}
        />
      ) : (
        <>
          {!readOnly && (
            <NameForm
              busy={busy}
              onName={(name) =>
                void act(async () => {
                  const entry = await api.name(name);
                  return `Named this version “${entry.name ?? name}”.`;
                })
              }
            />
          )}
          <VersionList
            versions={versions}
            onOpen={(entry) =>
              void api.read(entry.id).then(setSelected, (error: unknown) => {
                setMessage((error as Error).message);
              })
            }
          />
        </>
      )}
    </aside>
  );
}

function NameForm({ busy, onName }: { busy: boolean; onName: (name: string) => void }) {
  const [name, setName] = useState('');
  return (
    <form
      className="history-name-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim() === '') return;
        onName(name.trim());
        setName('');
      }}
    >
      <label htmlFor="version-name">Name this version</label>
      <input
        id="version-name"
        value={name}
        maxLength={100}
        placeholder="e.g. First draft"
        onChange={(event) => setName(event.target.value)}
      />
      <button
        type="submit"
        className="history-button primary"
        disabled={busy || name.trim() === ''}
      >
        Save name
      </button>
    </form>
  );
}

function VersionList({
  versions,
  onOpen,
}: {
  versions: readonly VersionEntry[] | null;
  onOpen: (entry: VersionEntry) => void;
}) {
  if (versions === null) return <p className="muted">Loading…</p>;
  if (versions.length === 0) {
    return <p className="muted">No versions yet: one is kept every few minutes while you write.</p>;
  }
  const byId = new Map(versions.map((entry) => [entry.id, entry]));
  return (
    <ol className="history-list" aria-label="Versions, newest first">
      {versions.map((entry) => (
        <li key={entry.id} data-testid="history-entry">
          <button type="button" className="history-entry" onClick={() => onOpen(entry)}>
            <span className="history-time">{readableTime(entry.createdAt)}</span>
            {entry.name !== undefined && <span className="history-name">{entry.name}</span>}
            <span className="history-reason">{reasonText(entry, byId)}</span>
            <span className="history-avatars">
              {entry.authors.map((author) => (
                <span
                  key={author.id}
                  className="history-avatar"
                  title={author.name}
                  style={{ background: authorColor(author) }}
                >
                  <span aria-hidden="true">{initials(author.name)}</span>
                  <span className="visually-hidden">{author.name}</span>
                </span>
              ))}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}

function VersionPreview({
  version,
  open,
  readOnly,
  busy,
  onRestore,
  onBack,
}: {
  version: Version;
  open: OpenDocument;
  readOnly: boolean;
  busy: boolean;
  onRestore: () => void;
  onBack: () => void;
}) {
  const current = useYText(open);
  const [confirming, setConfirming] = useState(false);
  const change = textChange(current, version.text);
  const removed = current.slice(change.index, change.index + change.remove);
  return (
    <section className="history-preview" aria-label={`Preview of ${describe(version)}`}>
      <h3>{describe(version)}</h3>
      <p className="muted">
        {readableTime(version.createdAt)} · {version.chars} characters · differences from the
        current text are marked
      </p>
      <pre className="history-preview-text" data-testid="version-preview">
        {version.text.slice(0, change.index)}
        {change.insert !== '' && <ins title="Only in this version">{change.insert}</ins>}
        {version.text.slice(change.index + change.insert.length)}
      </pre>
      {removed !== '' && (
        <p className="history-removed">
          Only in the current text, here: <del>{removed}</del>
        </p>
      )}
      <div className="history-actions">
        <button type="button" className="history-button" onClick={onBack}>
          Back to versions
        </button>
        {!readOnly && !confirming && (
          <button
            type="button"
            className="history-button primary"
            onClick={() => setConfirming(true)}
          >
            Restore
          </button>
        )}
      </div>
      {confirming && (
        <div className="history-confirm" role="alertdialog" aria-labelledby="restore-question">
          <p id="restore-question">
            Restore this version for everyone? The current text is kept as a version first.
          </p>
          <button
            type="button"
            className="history-button primary"
            disabled={busy}
            onClick={onRestore}
          >
            Restore this version
          </button>
          <button type="button" className="history-button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}

function AuthorsView({ open, api }: { open: OpenDocument; api: HistoryApi }) {
  const current = useYText(open);
  const [authors, setAuthors] = useState<Map<number, AuthorEntry> | null>(null);
  useEffect(() => {
    void api.authors().then(setAuthors, () => setAuthors(new Map()));
  }, [api, current]);
  if (authors === null) return <p className="muted">Loading…</p>;
  const runs = authoredRuns(open.session.text, authors);
  const legend = new Map<string, AuthorEntry>();
  for (const run of runs) if (run.author) legend.set(run.author.id, run.author);
  return (
    <section className="history-authors" aria-label="Who wrote what">
      <ul className="history-legend" aria-label="Authors" data-testid="authors-legend">
        {[...legend.values()].map((author) => (
          <li key={author.id}>
            <span className="history-swatch" style={{ background: authorColor(author) }} />
            {author.name}
          </li>
        ))}
      </ul>
      <pre className="history-preview-text" data-testid="authors-text">
        {runs.map((run, index) => (
          <span
            key={index}
            title={run.author?.name ?? 'Unknown author'}
            className="history-authored"
            style={run.author ? { borderBottomColor: authorColor(run.author) } : undefined}
          >
            {run.text}
          </span>
        ))}
      </pre>
    </section>
  );
}

/** The document's text, re-rendered on every change. */
function useYText(open: OpenDocument): string {
  const text = open.session.text;
  return useSyncExternalStore(
    (listener) => {
      text.observe(listener);
      return () => text.unobserve(listener);
    },
    () => text.toString(),
  );
}

function describe(entry: VersionEntry): string {
  return entry.name !== undefined
    ? `“${entry.name}”`
    : `the version of ${readableTime(entry.createdAt)}`;
}

function reasonText(entry: VersionEntry, byId: ReadonlyMap<string, VersionEntry>): string {
  const source = entry.restoredFrom === undefined ? undefined : byId.get(entry.restoredFrom);
  const from = source ? describe(source) : 'an earlier version';
  switch (entry.reason) {
    case 'restore':
      return `Restored ${from}`;
    case 'before-restore':
      return `Before restoring ${from}`;
    case 'named':
      return 'Named version';
    case 'idle':
      return 'Everyone left';
    case 'interval':
      return 'Autosaved';
  }
}

/** Resolves once this tab's edits are saved, or after `timeoutMs` (the relay records anyway). */
function savedOrTimeout(open: OpenDocument, timeoutMs: number): Promise<void> {
  const status = open.session.saveStatus;
  return new Promise((resolve) => {
    const timer = setTimeout(finish, timeoutMs);
    const unsubscribe = status.subscribe(check);
    function check() {
      if (status.getSnapshot().state === 'saved') finish();
    }
    function finish() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
    check();
  });
}
