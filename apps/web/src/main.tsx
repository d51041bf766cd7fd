import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { captureTokenFromLocation, watchLocationForTokens } from './access/tokens';
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
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
startServiceWorker();
