import { useSyncExternalStore } from 'react';
import type { SaveStatus, SaveStatusTracker } from '@weft/client';

function describe(status: SaveStatus): string {
  switch (status.state) {
    case 'saved':
      return 'Saved';
    case 'syncing':
      return status.unsaved === 1
        ? '1 edit not yet saved'
        : status.unsaved > 0
          ? `${status.unsaved} edits not yet saved`
          : 'Saving…';
    case 'connecting':
      return 'Connecting…';
    case 'offline':
      return 'Offline — edits kept on this device';
  }
}

export function SaveStatusBadge({ tracker }: { tracker: SaveStatusTracker }) {
  const status = useSyncExternalStore(tracker.subscribe, tracker.getSnapshot);
  return (
    <span
      className={`sync-status sync-${status.state}`}
      data-testid="sync-status"
      data-state={status.state}
      role="status"
    >
      <span className="sync-dot" aria-hidden="true" />
      {describe(status)}
    </span>
  );
}
