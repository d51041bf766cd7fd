import type { KeyValueStorage } from '@weft/client';

/**
 * The page's localStorage, or an in-memory stand-in where it is disabled (some private modes
 * throw on any access), so features that remember things keep working for this tab.
 */
export function safeStorage(): KeyValueStorage {
  try {
    const storage = window.localStorage;
    storage.getItem('weft:probe');
    return storage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
    };
  }
}
