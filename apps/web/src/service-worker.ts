/**
 * Registers the service worker that caches the app shell (built by vite-plugin-pwa), so the
 * editor opens with no network at all. A new version waits until the user chooses to reload:
 * reloading by itself in the middle of a sentence would be rude, even though no edit would be
 * lost (they are in IndexedDB).
 */
import { registerSW } from 'virtual:pwa-register';
import { ValueStore } from './lib/value-store';

/** True when a newer version of the app is installed and waiting. */
export const updateReady = new ValueStore(false);

let updateServiceWorker: ((reloadPage?: boolean) => Promise<void>) | null = null;

export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  updateServiceWorker = registerSW({
    onNeedRefresh: () => updateReady.set(true),
    onRegisterError: (error: unknown) => {
      console.warn('Weft could not install its offline support:', error);
    },
  });
}

/** Activates the waiting version and reloads the page with it. */
export function applyUpdate(): void {
  void updateServiceWorker?.(true);
}
