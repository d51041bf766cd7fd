import { useSyncExternalStore } from 'react';
import type { Collaborator, CollaboratorStore } from '../document/collaborators';
import type { EditorController } from '../editor/editor-controller';
import { identityStore } from '../identity';
import { initials } from '../lib/initials';
import { readableTextOn } from '../lib/readable-text';
import { usePopover } from '../lib/use-popover';
import { Icon } from './Icon';
import { IdentityPicker } from './IdentityPicker';

/** How many avatars to draw before "+N". */
const SHOWN = 5;

/**
 * Who is here: your own avatar first (click it to change your name and colour), then
 * everyone else (click for a menu: jump to their cursor, or follow them), and a count.
 */
export function PresenceBar({
  store,
  controller,
}: {
  store: CollaboratorStore;
  controller: EditorController;
}) {
  const people = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const others = people.filter((person) => !person.isLocal);
  const hidden = others.length > SHOWN - 1 ? others.slice(SHOWN - 1) : [];
  const shownOthers = others.slice(0, SHOWN - 1);
  return (
    <div className="presence" data-testid="presence" data-count={people.length}>
      <ul className="avatars" aria-label="People in this document">
        <li>
          <SelfAvatar />
        </li>
        {shownOthers.map((person) => (
          <li key={person.clientId}>
            <OtherAvatar person={person} controller={controller} />
          </li>
        ))}
        {hidden.length > 0 && (
          <li>
            <span
              className="avatar more"
              title={hidden.map((person) => person.name).join(', ')}
              aria-label={`and ${hidden.length} more`}
            >
              +{hidden.length}
            </span>
          </li>
        )}
      </ul>
      <span className="presence-count" data-testid="presence-count">
        {people.length <= 1 ? 'Just you' : `${people.length} here`}
      </span>
    </div>
  );
}

function OtherAvatar({
  person,
  controller,
}: {
  person: Collaborator;
  controller: EditorController;
}) {
  const popover = usePopover();
  const followed = useSyncExternalStore(
    controller.follow.followed.subscribe,
    controller.follow.followed.getSnapshot,
  );
  const following = followed?.clientId === person.clientId;
  const where = person.hasCursor ? '' : ' (not in the text yet)';
  // Focus goes back to the avatar, as when a menu is closed with Escape.
  const act = (action: () => void) => {
    popover.close();
    popover.buttonRef.current?.focus();
    action();
  };
  return (
    <div className="popover-root" ref={popover.rootRef}>
      <button
        type="button"
        ref={popover.buttonRef}
        className={following ? 'avatar following' : 'avatar'}
        style={{ backgroundColor: person.color, color: readableTextOn(person.color) }}
        title={`${person.name}${where}${following ? ' — following' : ''}`}
        aria-haspopup="menu"
        aria-expanded={popover.open}
        data-name={person.name}
        onClick={popover.toggle}
      >
        <AvatarText initials={initials(person.name)} name={`${person.name}${where}`} />
      </button>
      {popover.open && (
        <div className="popover align-end menu" role="menu" aria-label={person.name}>
          <button
            type="button"
            role="menuitem"
            disabled={!person.hasCursor}
            onClick={() => act(() => controller.revealCollaborator(person.clientId))}
          >
            <Icon name="search" size={16} />
            <span>Show their cursor</span>
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() =>
              act(() =>
                following ? controller.follow.stop() : controller.follow.start(person.clientId),
              )
            }
          >
            <Icon name={following ? 'close' : 'eye'} size={16} />
            <span>{following ? 'Stop following' : `Follow ${person.name}`}</span>
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * Initials on screen, the full name for assistive technology: the button's accessible name
 * comes from its content (no `aria-label`), so speech users can say what they read.
 */
function AvatarText({ initials: shown, name }: { initials: string; name: string }) {
  return (
    <>
      <span aria-hidden="true">{shown}</span>
      <span className="visually-hidden">{name}</span>
    </>
  );
}

function SelfAvatar() {
  const identity = useSyncExternalStore(identityStore().subscribe, identityStore().getSnapshot);
  const popover = usePopover();
  const label = `You (${identity.name}) — change your name and colour`;
  return (
    <div className="popover-root" ref={popover.rootRef}>
      <button
        type="button"
        ref={popover.buttonRef}
        className="avatar self"
        style={{ backgroundColor: identity.color, color: readableTextOn(identity.color) }}
        title={label}
        aria-expanded={popover.open}
        data-name={identity.name}
        onClick={popover.toggle}
      >
        <AvatarText initials={initials(identity.name)} name={label} />
      </button>
      {popover.open && (
        <div className="popover align-end">
          <IdentityPicker identity={identity} onDone={popover.close} />
        </div>
      )}
    </div>
  );
}
