import { useCallback, useEffect, useRef, useState } from 'react';
import { accessTokens } from '../access/tokens';
import type { DocEvent } from '@weft/protocol';
import { displayTitle } from '../document-list';
import { listenForDocEvents } from '../documents/live-docs';
import { relativeTime } from '../lib/relative-time';
import { deleteForGood, fetchTrash, restoreFromTrash, type TrashedDoc } from './trash-api';

type TrashState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly docs: readonly TrashedDoc[] }
  | { readonly kind: 'error'; readonly message: string };

const validTokens = () =>
  accessTokens()
    .valid()
    .map((item) => item.token);

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The list page's Trash: restore a document, or delete it and its history for good. It
 * follows the same live feed as the list (`/api/events`): a document another tab trashes
 * appears (a `doc` event with `deleted: true` has no trash times, so the trash is fetched
 * again), one restored elsewhere leaves at once, and a `reset` fetches it again.
 */
export function TrashView({ onRestored }: { onRestored: () => void }) {
  const [state, setState] = useState<TrashState>({ kind: 'loading' });
  const [problem, setProblem] = useState<string | null>(null);
  // Only the newest request's answer is shown; `loading` says whether one is under way.
  const requests = useRef({ latest: 0, loading: false });
  const load = useCallback(() => {
    const request = ++requests.current.latest;
    requests.current.loading = true;
    const current = () => request === requests.current.latest;
    fetchTrash(validTokens())
      .then(
        (docs) => {
          if (current()) setState({ kind: 'ready', docs });
        },
        (error: unknown) => {
          if (!current()) return;
          // A failed refetch keeps the trash on screen; only the first load shows the error.
          setState((shown) =>
            shown.kind === 'ready' ? shown : { kind: 'error', message: messageOf(error) },
          );
        },
      )
      .finally(() => {
        if (current()) requests.current.loading = false;
      });
  }, []);
  useEffect(() => {
    const onEvent = (event: DocEvent) => {
      if (event.deleted) {
        load();
        return;
      }
      // Restored elsewhere (or any other change of a document out of the trash). An answer
      // still on its way may predate the restore: ask again.
      setState((shown) =>
        shown.kind === 'ready' && shown.docs.some((doc) => doc.name === event.name)
          ? { kind: 'ready', docs: shown.docs.filter((doc) => doc.name !== event.name) }
          : shown,
      );
      if (requests.current.loading) load();
    };
    const listen = () => listenForDocEvents(validTokens(), { onEvent, onReset: load });
    load();
    let stop = listen();
    // New access links grant other documents: their trash and their events.
    const unsubscribe = accessTokens().subscribe(() => {
      stop();
      load();
      stop = listen();
    });
    return () => {
      unsubscribe();
      stop();
    };
  }, [load]);

  const act = (work: Promise<unknown>, after?: () => void) => {
    setProblem(null);
    work.then(
      () => {
        after?.();
        load();
      },
      (error: unknown) => setProblem(messageOf(error)),
    );
  };

  if (state.kind === 'loading') return <p className="muted empty">Loading the trash…</p>;
  if (state.kind === 'error') {
    return <p className="notice">The trash could not be loaded: {state.message}</p>;
  }
  const now = Date.now();
  return (
    <>
      {problem !== null && (
        <p className="form-error" role="status">
          {problem}
        </p>
      )}
      {state.docs.length === 0 ? (
        <p className="muted empty">The trash is empty.</p>
      ) : (
        <ul className="doc-list" data-testid="trash-list">
          {state.docs.map((doc) => {
            const title = displayTitle(doc);
            return (
              <li key={doc.name} className="doc-row" data-doc={doc.name}>
                <div className="doc-link">
                  <span className="doc-title">{title}</span>
                  <span className="doc-meta">
                    {doc.title !== null && <span className="doc-slug">{doc.name}</span>}
                    <span>trashed {relativeTime(doc.trashedAt, now)}</span>
                    <time dateTime={new Date(doc.deleteAfter).toISOString()}>
                      deleted for good on {new Date(doc.deleteAfter).toLocaleDateString()}
                    </time>
                  </span>
                </div>
                <div className="doc-row-actions">
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Restore: ${title}`}
                    onClick={() => act(restoreFromTrash(doc.name, validTokens()), onRestored)}
                  >
                    Restore
                  </button>
                  <button
                    type="button"
                    className="button ghost small"
                    aria-label={`Delete for good: ${title}`}
                    onClick={() => {
                      if (!window.confirm(`Delete “${title}” and its history for good?`)) return;
                      act(deleteForGood(doc.name, validTokens()));
                    }}
                  >
                    Delete for good
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
