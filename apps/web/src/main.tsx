import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
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

// A document's address: the editor chunk (preloaded by index.html) starts running now, not
// after the first render has asked for it, and once it has, the document starts opening
// (stored copy, relay connection) while React renders the page.
const route = parseRoute(window.location.pathname);
if (route.page === 'doc') {
  // A chunk that fails to load is the page's to report (React.lazy gets the same promise).
  loadEditorPage().then(
    (page) => page.openDocumentEarly(route.docName),
    () => undefined,
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
startServiceWorker();
