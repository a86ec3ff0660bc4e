/** A time for people: local date and time to the minute; "never" for none. */
export function formatTime(at: number | null | undefined): string {
  if (at === null || at === undefined) return 'never';
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A count with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}

/** A share in per cent, one decimal. */
export function formatPercent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** A UTC day (epoch ms at its midnight) for people, e.g. "2 Dec 2026": the day as stored, whatever the viewer's zone. */
export function formatDay(day: number): string {
  return new Date(day).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
}
