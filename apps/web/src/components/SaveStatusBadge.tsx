import { useSyncExternalStore } from 'react';
import type { ConnectionSnapshot, DocumentSession, SaveStatus } from '@weft/client';
import { Icon } from './Icon';

/** The status in words: what is safe where, never more reassuring than the facts. */
export function describeStatus(status: SaveStatus, connection: ConnectionSnapshot): string {
  switch (status.state) {
    case 'saved':
      return 'Saved';
    case 'syncing':
      if (status.unsaved === null || status.unsaved === 0) return 'Saving…';
      return status.unsaved === 1
        ? '1 edit not yet saved'
        : `${status.unsaved} edits not yet saved`;
    case 'connecting':
      return 'Connecting…';
    case 'offline': {
      const where = connection.phase === 'unreachable' ? 'Can’t reach the server' : 'Offline';
      switch (status.local) {
        case 'stored':
          return `${where} — edits kept on this device`;
        case 'storing':
        case 'loading':
          return `${where} — keeping edits on this device…`;
        case 'unavailable':
          return `${where} — edits are only in this tab`;
        case 'none':
          return where;
      }
    }
  }
}

const TOOLTIPS: Record<SaveStatus['state'], string> = {
  saved: 'Every edit is stored on the server.',
  syncing: 'Connected. Your latest edits are on their way to the server.',
  connecting: 'Connecting to the server…',
  offline:
    'Keep writing: your edits are merged with everyone else’s as soon as the server is reachable.',
};

const ANNOUNCEMENTS: Record<SaveStatus['state'], string> = {
  saved: 'All changes saved',
  syncing: 'Saving',
  connecting: 'Connecting',
  offline: 'Offline. Edits are kept and will sync later.',
};

export function SaveStatusBadge({ session }: { session: DocumentSession }) {
  const status = useSyncExternalStore(session.saveStatus.subscribe, session.saveStatus.getSnapshot);
  const connection = useSyncExternalStore(
    session.connection.subscribe,
    session.connection.getSnapshot,
  );
  const unreachable = connection.phase === 'unreachable' && status.state === 'offline';
  return (
    <div className="sync-wrap">
      <span
        className={`sync-status sync-${status.state}`}
        data-testid="sync-status"
        data-state={status.state}
        data-local={status.local}
        title={TOOLTIPS[status.state]}
      >
        {status.state === 'offline' ? (
          <Icon name="cloudOff" size={15} />
        ) : (
          <span className="sync-dot" aria-hidden="true" />
        )}
        <span className="sync-label">{describeStatus(status, connection)}</span>
      </span>
      {/* Screen readers hear state changes, not a new count on every keystroke. */}
      <span className="visually-hidden" role="status">
        {ANNOUNCEMENTS[status.state]}
      </span>
      {unreachable && (
        <button type="button" className="link-button" onClick={() => session.connection.retryNow()}>
          Retry now
        </button>
      )}
    </div>
  );
}
