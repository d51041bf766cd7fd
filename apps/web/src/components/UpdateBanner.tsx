import { useSyncExternalStore } from 'react';
import { applyUpdate, updateReady } from '../service-worker';

export function UpdateBanner() {
  const ready = useSyncExternalStore(updateReady.subscribe, updateReady.getSnapshot);
  if (!ready) return null;
  return (
    <div className="update-banner" role="status">
      <span>A new version of Weft is ready.</span>
      <button type="button" className="button primary small" onClick={applyUpdate}>
        Reload
      </button>
      <button type="button" className="link-button" onClick={() => updateReady.set(false)}>
        Later
      </button>
    </div>
  );
}
