import { Suspense, lazy, useState } from 'react';
import { UpdateBanner } from './components/UpdateBanner';
import { DocumentListPage } from './pages/DocumentListPage';
import { useRoute } from './router';

// The editor (CodeMirror, Yjs) is most of the code; the document list does not wait for it.
// The service worker caches both, so this costs nothing offline.
type EditorPageModule = typeof import('./pages/EditorPage');
let editorPage: Promise<EditorPageModule> | null = null;
/** The chunk once it has run: rendered directly, not through Suspense. */
let loadedEditorPage: EditorPageModule['EditorPage'] | null = null;

/**
 * Loads the editor page's chunk (once). main.tsx waits for it before the first render on a
 * document's address (index.html preloads it): React then renders the page at once, instead
 * of a Suspense fallback that it keeps on screen for at least 300 ms (React's throttling of
 * revealed boundaries, which held back every open by about 160 ms).
 */
export function loadEditorPage(): Promise<EditorPageModule> {
  editorPage ??= import('./pages/EditorPage').then((module) => {
    loadedEditorPage = module.EditorPage;
    return module;
  });
  return editorPage;
}

const LazyEditorPage = lazy(() =>
  loadEditorPage().then((module) => ({ default: module.EditorPage })),
);

function EditorRoute({ docName }: { docName: string }) {
  // Chosen once per document: switching between the two would remount the page (a new
  // session and editor) in the middle of editing.
  const [LoadedPage] = useState(() => loadedEditorPage);
  return LoadedPage ? (
    <LoadedPage docName={docName} />
  ) : (
    <Suspense fallback={<div className="editor-page" aria-busy="true" />}>
      <LazyEditorPage docName={docName} />
    </Suspense>
  );
}

export function App() {
  const route = useRoute();
  return (
    <>
      {route.page !== 'doc' ? (
        <DocumentListPage />
      ) : (
        // A new key per document gives every document a fresh session and editor.
        <EditorRoute key={route.docName} docName={route.docName} />
      )}
      <UpdateBanner />
    </>
  );
}
