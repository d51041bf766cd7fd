import { Suspense, lazy } from 'react';
import { UpdateBanner } from './components/UpdateBanner';
import { DocumentListPage } from './pages/DocumentListPage';
import { useRoute } from './router';

// The editor (CodeMirror, Yjs) is most of the code; the document list does not wait for it.
// The service worker caches both, so this costs nothing offline.
let editorPage: Promise<typeof import('./pages/EditorPage')> | null = null;

/**
 * Loads the editor page's chunk (once). main.tsx calls it before the first render on a
 * document's address, so the chunk is fetched and run while React renders the app shell.
 */
export function loadEditorPage(): Promise<typeof import('./pages/EditorPage')> {
  editorPage ??= import('./pages/EditorPage');
  return editorPage;
}

const EditorPage = lazy(() => loadEditorPage().then((module) => ({ default: module.EditorPage })));

export function App() {
  const route = useRoute();
  return (
    <>
      {route.page === 'doc' ? (
        <Suspense fallback={<div className="editor-page" aria-busy="true" />}>
          {/* A new key per document gives every document a fresh session and editor. */}
          <EditorPage key={route.docName} docName={route.docName} />
        </Suspense>
      ) : (
        <DocumentListPage />
      )}
      <UpdateBanner />
    </>
  );
}
