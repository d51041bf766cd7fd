/**
 * The smallest external store React's `useSyncExternalStore` can read: a value, a way to
 * replace it, and listeners told only when it really changed (`Object.is`).
 */
export class ValueStore<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  readonly getSnapshot = (): T => this.value;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of this.listeners) listener();
  }

  /** Drops every listener (the store is no longer used). */
  clear(): void {
    this.listeners.clear();
  }
}
