/**
 * Light and dark theme. By default the app follows the system setting, live; the toggle
 * stores an explicit choice in local storage. The resolved theme is written to
 * `<html data-theme>` (CSS keys off it) — index.html does the same before the first paint,
 * so a dark-mode user never sees a white flash.
 */
import { ValueStore } from './lib/value-store';

export type ThemePreference = 'system' | 'light' | 'dark';
export type ResolvedTheme = 'light' | 'dark';

export interface ThemeState {
  readonly preference: ThemePreference;
  readonly resolved: ResolvedTheme;
}

/** Keep in sync with the inline script in index.html. */
export const THEME_STORAGE_KEY = 'weft:theme';
const ORDER: readonly ThemePreference[] = ['system', 'light', 'dark'];

export function parsePreference(value: string | null): ThemePreference {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function resolveTheme(preference: ThemePreference, systemDark: boolean): ResolvedTheme {
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}

/** The preference the toggle switches to next: system → light → dark → system. */
export function nextPreference(preference: ThemePreference): ThemePreference {
  return ORDER[(ORDER.indexOf(preference) + 1) % ORDER.length] ?? 'system';
}

class ThemeStore extends ValueStore<ThemeState> {
  private readonly media = window.matchMedia('(prefers-color-scheme: dark)');

  constructor() {
    const preference = parsePreference(readStorage());
    super({ preference, resolved: 'light' });
    this.apply(preference);
    this.media.addEventListener('change', () => this.apply(this.getSnapshot().preference));
    // Another tab changed the theme.
    window.addEventListener('storage', (event) => {
      if (event.key === THEME_STORAGE_KEY) this.apply(parsePreference(event.newValue));
    });
  }

  choose(preference: ThemePreference): void {
    try {
      if (preference === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY);
      else window.localStorage.setItem(THEME_STORAGE_KEY, preference);
    } catch {
      // Without storage the choice lasts for this tab only.
    }
    this.apply(preference);
  }

  private apply(preference: ThemePreference): void {
    const resolved = resolveTheme(preference, this.media.matches);
    document.documentElement.dataset.theme = resolved;
    const current = this.getSnapshot();
    if (current.preference !== preference || current.resolved !== resolved) {
      this.set({ preference, resolved });
    }
  }
}

function readStorage(): string | null {
  try {
    return window.localStorage.getItem(THEME_STORAGE_KEY);
  } catch {
    return null;
  }
}

let store: ThemeStore | null = null;

/** The app's one theme store (created on first use, in the browser). */
export function themeStore(): ThemeStore {
  store ??= new ThemeStore();
  return store;
}
