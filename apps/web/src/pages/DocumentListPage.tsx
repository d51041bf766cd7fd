import { useEffect, useState, type SyntheticEvent } from 'react';
import { docNameProblem } from '@weft/protocol';
import { Link } from '../components/Link';
import { randomDocName } from '../doc-names';
import { docPath, navigate } from '../router';

interface DocSummary {
  readonly name: string;
  readonly title: string | null;
  readonly bytes: number;
  readonly modified: number;
}

type ListState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly docs: readonly DocSummary[] }
  | { readonly kind: 'error'; readonly message: string };

async function fetchDocs(signal: AbortSignal): Promise<DocSummary[]> {
  const response = await fetch('/api/docs', { signal });
  if (!response.ok) throw new Error(`the relay answered ${response.status}`);
  const body = (await response.json()) as { docs: DocSummary[] };
  return body.docs;
}

export function DocumentListPage() {
  const [list, setList] = useState<ListState>({ kind: 'loading' });
  const [newName, setNewName] = useState('');
  const problem = newName === '' ? null : docNameProblem(newName);

  useEffect(() => {
    const controller = new AbortController();
    fetchDocs(controller.signal).then(
      (docs) => setList({ kind: 'ready', docs }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const message = error instanceof Error ? error.message : String(error);
        setList({ kind: 'error', message });
      },
    );
    return () => controller.abort();
  }, []);

  const create = (event: SyntheticEvent) => {
    event.preventDefault();
    if (problem !== null) return;
    navigate(docPath(newName === '' ? randomDocName() : newName));
  };

  return (
    <main className="list-page">
      <header className="list-header">
        <h1 className="brand">Weft</h1>
        <p className="tagline">Write together, online or off.</p>
      </header>
      <form className="new-doc" onSubmit={create}>
        <input
          aria-label="New document name"
          placeholder="name (optional)"
          value={newName}
          onChange={(event) => setNewName(event.target.value.trim())}
          maxLength={128}
        />
        <button type="submit" disabled={problem !== null}>
          New document
        </button>
        {problem !== null && <p className="form-error">{problem}</p>}
      </form>
      <section aria-label="Documents">
        {list.kind === 'loading' && <p className="muted">Loading documents…</p>}
        {list.kind === 'error' && (
          <p className="form-error">Could not load the document list: {list.message}</p>
        )}
        {list.kind === 'ready' && list.docs.length === 0 && (
          <p className="muted">No documents yet. Create the first one.</p>
        )}
        {list.kind === 'ready' && list.docs.length > 0 && (
          <ul className="doc-list">
            {list.docs.map((doc) => (
              <li key={doc.name}>
                <Link href={docPath(doc.name)} className="doc-link">
                  <span className="doc-title">{doc.title ?? doc.name}</span>
                  <span className="doc-meta">
                    {doc.title !== null && <span>{doc.name} · </span>}
                    edited {new Date(doc.modified).toLocaleString()}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
