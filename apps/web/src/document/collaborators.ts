/**
 * The people in a document, from its awareness, as an external store for React. The list
 * object only changes when someone joins, leaves, changes name or colour, or first places a
 * cursor — not on every cursor move — so the presence bar does not re-render per keystroke.
 */
import type { Awareness } from 'y-protocols/awareness';

export interface Collaborator {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly isLocal: boolean;
  /** Whether they have a cursor in the text to jump to. */
  readonly hasCursor: boolean;
}

interface PeerState {
  readonly user?: { readonly name?: unknown; readonly color?: unknown };
  readonly cursor?: unknown;
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
    for (const [clientId, raw] of this.awareness.getStates()) {
      const state = raw as PeerState;
      const user = state.user;
      if (typeof user?.name !== 'string' || typeof user.color !== 'string') continue;
      people.push({
        clientId,
        name: user.name,
        color: user.color,
        isLocal: clientId === this.awareness.clientID,
        hasCursor: state.cursor !== undefined && state.cursor !== null,
      });
    }
    // You first, then everyone else by name: a stable order that does not reshuffle as
    // people type.
    people.sort(
      (a, b) =>
        Number(b.isLocal) - Number(a.isLocal) ||
        a.name.localeCompare(b.name) ||
        a.clientId - b.clientId,
    );
    const key = JSON.stringify(people);
    if (key === this.key) return;
    this.key = key;
    this.snapshot = people;
    for (const listener of this.listeners) listener();
  };
}
