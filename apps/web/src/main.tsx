import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { openLocalCopyDatabaseEarly } from '@weft/client';
import { docNameProblem } from '@weft/protocol';
import { App, loadEditorPage } from './App';
import { captureTokenFromLocation, watchLocationForTokens } from './access/tokens';
import { parseRoute } from './router';
import { startServiceWorker } from './service-worker';
import { themeStore } from './theme';
import './styles.css';

// Resolve the theme (and start following the system setting) before the first render.
themeStore();
// A share link's `#token=…` is stored and taken out of the address before anything renders.
captureTokenFromLocation();
watchLocationForTokens();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const render = () =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );

// A document's address: the database of its local copy starts opening now, while the editor
// chunk (preloaded by index.html) loads and runs (on a first visit that creates it, and the
// session then knows there is no stored copy to wait for); the document starts opening
// (stored copy, relay connection) as soon as the chunk has run, and React renders the page
// with the chunk already there (see loadEditorPage).
const route = parseRoute(window.location.pathname);
if (route.page === 'doc') {
  const storedCopyKnownEmpty =
    docNameProblem(route.docName) === null ? openLocalCopyDatabaseEarly(route.docName) : undefined;
  loadEditorPage().then(
    (page) => {
      page.openDocumentEarly(route.docName, storedCopyKnownEmpty);
      render();
    },
    // A chunk that fails to load is the page's to report (React.lazy gets the same promise).
    render,
  );
} else {
  render();
}
startServiceWorker();
