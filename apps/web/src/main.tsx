import { StrictMode, startTransition } from 'react';
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
const app = (
  <StrictMode>
    <App />
  </StrictMode>
);
const render = () => createRoot(root).render(app);

// A document's address: the database of its local copy starts opening now, while the editor
// chunk (preloaded by index.html) loads and runs (on a first visit that creates it, and the
// session then knows there is no stored copy to wait for). As soon as the chunk has run the
// document opens (stored copy, relay connection), its editor shows once the stored copy is
// merged, before React has rendered anything (see document/early-document.ts), and then React
// renders the page around it, with the chunk already there (see loadEditorPage): at once for a
// stored copy, and on a first visit once the relay's text is in (or soon after, whatever the
// relay does: untilPageMayRender). That render is a transition, which React does in slices,
// so that what arrives meanwhile is taken in between them rather than after the whole page.
const route = parseRoute(window.location.pathname);
if (route.page === 'doc') {
  const storedCopyKnownEmpty =
    docNameProblem(route.docName) === null ? openLocalCopyDatabaseEarly(route.docName) : undefined;
  loadEditorPage().then(
    (page) => {
      page.openDocumentEarly(route.docName, storedCopyKnownEmpty);
      const renderAround = () => startTransition(() => createRoot(root).render(app));
      // The page opens the editor itself if showing it early failed.
      page
        .showEditorEarly(root)
        .then(() => page.untilPageMayRender())
        .then(renderAround, renderAround);
    },
    // A chunk that fails to load is the page's to report (React.lazy gets the same promise).
    render,
  );
} else {
  render();
}
startServiceWorker();
