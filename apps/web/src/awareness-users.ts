/**
 * The people in a document, from its awareness, as an external store for React. The list
 * object only changes when someone joins, leaves, or changes name or colour — not on every
 * cursor move — so the presence bar does not re-render per keystroke.
 */
import type { Awareness } from 'y-protocols/awareness';

export interface Collaborator {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly isLocal: boolean;
}

export class CollaboratorStore {
  private snapshot: readonly Collaborator[] = [];
  private key = '';
  private readonly listeners = new Set<() => void>();

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.refresh);
    this.refresh();
  }

  readonly getSnapshot = (): readonly Collaborator[] => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  destroy(): void {
    this.awareness.off('change', this.refresh);
    this.listeners.clear();
  }

  private readonly refresh = (): void => {
    const people: Collaborator[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
      if (typeof user?.name !== 'string' || typeof user.color !== 'string') continue;
      people.push({
        clientId,
        name: user.name,
        color: user.color,
        isLocal: clientId === this.awareness.clientID,
      });
    }
    people.sort((a, b) => Number(b.isLocal) - Number(a.isLocal) || a.clientId - b.clientId);
    const key = JSON.stringify(people);
    if (key === this.key) return;
    this.key = key;
    this.snapshot = people;
    for (const listener of this.listeners) listener();
  };
}
