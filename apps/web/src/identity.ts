/**
 * This browser's user (display name and colour) as an external store. Chosen once, kept in
 * local storage; a change applies to every open document at once (each EditorPage
 * republishes it in its awareness) and to other tabs through the `storage` event.
 */
import { isIdentity, loadIdentity, saveIdentity, type UserIdentity } from '@weft/client';
import { ValueStore } from './lib/value-store';
import { safeStorage } from './lib/safe-storage';

const STORAGE_KEY = 'weft:user';

class IdentityStore extends ValueStore<UserIdentity> {
  constructor() {
    super(loadIdentity(safeStorage()));
    window.addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY || event.newValue === null) return;
      try {
        const value: unknown = JSON.parse(event.newValue);
        if (isIdentity(value)) this.set(value);
      } catch {
        // Ignore a corrupt value written elsewhere.
      }
    });
  }

  /** Saves and applies a new name or colour; the name is trimmed, empty names are refused. */
  update(change: Partial<UserIdentity>): void {
    const next = { ...this.getSnapshot(), ...change };
    const identity = { name: next.name.trim().slice(0, 64), color: next.color };
    if (!isIdentity(identity)) return;
    const current = this.getSnapshot();
    if (identity.name === current.name && identity.color === current.color) return;
    saveIdentity(safeStorage(), identity);
    this.set(identity);
  }
}

let store: IdentityStore | null = null;

export function identityStore(): IdentityStore {
  store ??= new IdentityStore();
  return store;
}
