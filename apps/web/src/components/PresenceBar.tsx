import { useSyncExternalStore } from 'react';
import type { CollaboratorStore } from '../awareness-users';

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() ?? '');
  return letters.slice(0, 2).join('') || '?';
}

export function PresenceBar({ store }: { store: CollaboratorStore }) {
  const people = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return (
    <div className="presence" data-testid="presence" data-count={people.length}>
      <ul className="avatars">
        {people.map((person) => (
          <li
            key={person.clientId}
            className="avatar"
            style={{ backgroundColor: person.color }}
            title={person.isLocal ? `${person.name} (you)` : person.name}
            aria-label={person.isLocal ? `${person.name} (you)` : person.name}
          >
            {initials(person.name)}
          </li>
        ))}
      </ul>
      <span className="presence-count">
        {people.length === 1 ? 'Just you' : `${people.length} here`}
      </span>
    </div>
  );
}
