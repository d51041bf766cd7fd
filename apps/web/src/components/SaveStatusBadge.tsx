import { useMemo, useSyncExternalStore } from 'react';
import type {
  AccessProblem,
  ConnectionSnapshot,
  DocumentSession,
  RelayRefusal,
  SaveStatus,
} from '@weft/client';
import { refusalWords } from '../access/refusal-words';
import { Icon } from './Icon';
import { PacedSaveStatus } from './paced-save-status';

/** Why the relay is not being asked, in the status line's words. */
const ACCESS_WORDS: Record<AccessProblem, string> = {
  expired: 'Link expired',
  missing: 'Needs an access link',
  refused: 'Access refused',
};

/**
 * The status in words: what is safe where, never more reassuring than the facts. While the
 * relay refuses this session (`problem`), the connection is stopped, the state is `offline`,
 * and the words say why.
 */
export function describeStatus(
  status: SaveStatus,
  connection: ConnectionSnapshot,
  problem: AccessProblem | null = null,
  refusal: RelayRefusal | null = null,
  trash: 'none' | 'trashed' | 'deleted' = 'none',
): string {
  switch (status.state) {
    case 'saved':
      return 'Saved';
    case 'syncing':
      if (status.unsaved === 0) return 'Saving…';
      return status.unsaved === 1
        ? '1 edit not yet saved'
        : `${status.unsaved} edits not yet saved`;
    case 'connecting':
      return 'Connecting…';
    case 'offline': {
      const where =
        trash === 'deleted'
          ? 'Deleted for good'
          : trash === 'trashed'
            ? 'Moved to the trash'
            : problem !== null
              ? ACCESS_WORDS[problem]
              : refusal !== null
                ? 'Refused by the relay'
                : connection.phase === 'unreachable'
                  ? 'Can’t reach the server'
                  : 'Offline';
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

const ACCESS_TOOLTIP =
  'The server needs a fresh access link. Keep writing: your edits are kept on this device and saved once you reconnect.';

export function SaveStatusBadge({
  session,
  onAskForLink,
}: {
  session: DocumentSession;
  /** Shows the prompt for a fresh link again (when the user closed it). */
  onAskForLink?: (() => void) | undefined;
}) {
  // Paced: a keystroke does not re-render the header twice (paced-save-status.ts).
  const paced = useMemo(() => new PacedSaveStatus(session.saveStatus), [session.saveStatus]);
  const status = useSyncExternalStore(paced.subscribe, paced.getSnapshot);
  const connection = useSyncExternalStore(
    session.connection.subscribe,
    session.connection.getSnapshot,
  );
  const { problem, refusal, role, trashed, deletedForGood } = useSyncExternalStore(
    session.subscribeAccess,
    session.getAccess,
  );
  const unreachable =
    problem === null && connection.phase === 'unreachable' && status.state === 'offline';
  // The relay answers and says no: not "offline", and the operator's fix is the tooltip.
  const refused = problem === null && refusal !== null && status.state === 'offline';
  const tooltip = refused
    ? refusalWords(refusal, role).body
    : problem !== null && status.state === 'offline'
      ? ACCESS_TOOLTIP
      : TOOLTIPS[status.state];
  return (
    <div className="sync-wrap">
      <span
        className={`sync-status sync-${status.state}`}
        data-testid="sync-status"
        data-state={status.state}
        data-local={status.local}
        data-access={problem ?? undefined}
        title={tooltip}
      >
        {status.state === 'offline' ? (
          <Icon name="cloudOff" size={15} />
        ) : (
          <span className="sync-dot" aria-hidden="true" />
        )}
        <span className="sync-label">
          {describeStatus(
            status,
            connection,
            problem,
            refusal,
            deletedForGood ? 'deleted' : trashed ? 'trashed' : 'none',
          )}
        </span>
      </span>
      {/* Screen readers hear state changes, not a new count on every keystroke. */}
      <span className="visually-hidden" role="status">
        {refused
          ? 'Refused by the relay. Edits are kept on this device.'
          : ANNOUNCEMENTS[status.state]}
      </span>
      {unreachable && (
        <button type="button" className="link-button" onClick={() => session.connection.retryNow()}>
          Retry now
        </button>
      )}
      {problem !== null && onAskForLink && (
        <button type="button" className="link-button" onClick={onAskForLink}>
          Enter new link
        </button>
      )}
    </div>
  );
}
