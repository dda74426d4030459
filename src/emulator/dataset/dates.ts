/** The demo fleet's "today": every generated date is on or before it, so data never drifts with the clock. */
export const FLEET_NOW = Date.UTC(2024, 5, 28, 9, 30, 0);

const DAY_MS = 86_400_000;

/** ISO date-time with a `Z` suffix and no milliseconds, the way Defender prints them. */
export function isoZ(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `ms` moved by `days` (fractional allowed). */
export function addDays(ms: number, days: number): number {
  return ms + Math.round(days * DAY_MS);
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Calendar month label, e.g. "March 2024" (a table, because Intl formatting is slow on a cold start). */
export function monthLabel(ms: number): string {
  const date = new Date(ms);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}
