import { useSyncExternalStore } from 'react';
import { nextPreference, themeStore, type ThemePreference } from '../theme';
import { Icon, type IconName } from './Icon';

const ICONS: Record<ThemePreference, IconName> = { system: 'monitor', light: 'sun', dark: 'moon' };
const NAMES: Record<ThemePreference, string> = {
  system: 'same as system',
  light: 'light',
  dark: 'dark',
};

/** Cycles the theme: system → light → dark. */
export function ThemeToggle() {
  const theme = useSyncExternalStore(themeStore().subscribe, themeStore().getSnapshot);
  const next = nextPreference(theme.preference);
  const label = `Theme: ${NAMES[theme.preference]}. Switch to ${NAMES[next]}.`;
  return (
    <button
      type="button"
      className="icon-button"
      data-testid="theme-toggle"
      data-theme-preference={theme.preference}
      title={label}
      aria-label={label}
      onClick={() => themeStore().choose(next)}
    >
      <Icon name={ICONS[theme.preference]} />
    </button>
  );
}
