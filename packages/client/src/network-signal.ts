/**
 * What the device says about its network: the browser's `navigator.onLine` and its
 * `online`/`offline` events. "Online" only means "has a network", not "can reach the relay";
 * `RelayConnection` finds the latter out by trying.
 */

export interface NetworkSignal {
  isOnline(): boolean;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  subscribe(listener: (online: boolean) => void): () => void;
}

/** The browser's signal. Without a `window` (Node, workers) it is always online. */
export function browserNetworkSignal(): NetworkSignal {
  if (typeof window === 'undefined' || typeof navigator === 'undefined') return alwaysOnline;
  return {
    isOnline: () => navigator.onLine,
    subscribe(listener) {
      const online = () => listener(true);
      const offline = () => listener(false);
      window.addEventListener('online', online);
      window.addEventListener('offline', offline);
      return () => {
        window.removeEventListener('online', online);
        window.removeEventListener('offline', offline);
      };
    },
  };
}

/** For environments with no network events. */
export const alwaysOnline: NetworkSignal = {
  isOnline: () => true,
  subscribe: () => () => undefined,
};

/** A signal a test flips by hand. */
export class ManualNetworkSignal implements NetworkSignal {
  private readonly listeners = new Set<(online: boolean) => void>();

  constructor(private online = true) {}

  isOnline(): boolean {
    return this.online;
  }

  subscribe(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    for (const listener of this.listeners) listener(online);
  }
}
