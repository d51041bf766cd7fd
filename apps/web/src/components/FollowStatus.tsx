import { useSyncExternalStore } from 'react';
import type { FollowMode } from '../editor/follow-mode';
import { Icon } from './Icon';

/**
 * While following someone: a chip at the bottom of the screen that says whom, with a way to
 * stop. Always present: the polite live region that tells screen readers when following
 * starts and stops (a region added at the moment of the change would not be read).
 */
export function FollowStatus({ follow }: { follow: FollowMode }) {
  const followed = useSyncExternalStore(follow.followed.subscribe, follow.followed.getSnapshot);
  const announcement = useSyncExternalStore(
    follow.announcement.subscribe,
    follow.announcement.getSnapshot,
  );
  return (
    <>
      <div className="visually-hidden" aria-live="polite" data-testid="follow-announcement">
        {announcement}
      </div>
      {followed && (
        <div className="follow-chip" data-testid="following">
          <Icon name="eye" size={16} />
          <span>
            Following <strong>{followed.name}</strong>
          </span>
          <button
            type="button"
            className="button small"
            title="Stop following (Esc)"
            onClick={() => follow.stop()}
          >
            Stop
          </button>
        </div>
      )}
    </>
  );
}
