import { DocumentListPage } from './pages/DocumentListPage';
import { EditorPage } from './pages/EditorPage';
import { useRoute } from './router';

export function App() {
  const route = useRoute();
  return route.page === 'doc' ? (
    // A new key per document gives every document a fresh session and editor.
    <EditorPage key={route.docName} docName={route.docName} />
  ) : (
    <DocumentListPage />
  );
}
