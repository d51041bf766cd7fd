/** "just now", "5 minutes ago", "yesterday", then a date: how recently a document changed. */

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

export function relativeTime(then: number, now: number, locale?: string): string {
  const elapsed = now - then;
  if (elapsed < 45_000) return 'just now';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (elapsed >= ms || unit === 'minute') {
      return format.format(-Math.max(1, Math.round(elapsed / ms)), unit);
    }
  }
  return 'just now';
}
