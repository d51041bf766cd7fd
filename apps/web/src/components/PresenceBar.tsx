import { useSyncExternalStore } from 'react';
import type { Collaborator, CollaboratorStore } from '../document/collaborators';
import type { EditorController } from '../editor/editor-controller';
import { identityStore } from '../identity';
import { initials } from '../lib/initials';
import { usePopover } from '../lib/use-popover';
import { IdentityPicker } from './IdentityPicker';

/** How many avatars to draw before "+N". */
const SHOWN = 5;

/**
 * Who is here: your own avatar first (click it to change your name and colour), then
 * everyone else (click to jump to their cursor), and a count.
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
  const label = person.hasCursor
    ? `${person.name} — show their cursor`
    : `${person.name} (not in the text yet)`;
  return (
    <button
      type="button"
      className="avatar"
      style={{ backgroundColor: person.color }}
      title={label}
      aria-label={label}
      data-name={person.name}
      onClick={() => controller.revealCollaborator(person.clientId)}
    >
      {initials(person.name)}
    </button>
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
        style={{ backgroundColor: identity.color }}
        title={label}
        aria-label={label}
        aria-expanded={popover.open}
        data-name={identity.name}
        onClick={popover.toggle}
      >
        {initials(identity.name)}
      </button>
      {popover.open && (
        <div className="popover align-end">
          <IdentityPicker identity={identity} onDone={popover.close} />
        </div>
      )}
    </div>
  );
}
