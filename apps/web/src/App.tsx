import { Suspense, lazy } from 'react';
import { UpdateBanner } from './components/UpdateBanner';
import { DocumentListPage } from './pages/DocumentListPage';
import { useRoute } from './router';

// The editor (CodeMirror, Yjs) is most of the code; the document list does not wait for it.
// The service worker caches both, so this costs nothing offline.
const EditorPage = lazy(() =>
  import('./pages/EditorPage').then((module) => ({ default: module.EditorPage })),
);

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
