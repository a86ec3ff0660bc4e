import { formatDateTime } from '../ui/format.js';

/** A bucket start (UTC) as a short label: the day (and hour for hourly buckets), in UTC as the reports count. */
export function bucketLabel(at: number, interval: 'hour' | 'day' | 'week'): string {
  const day = formatDateTime(at, { timeZone: 'UTC', month: 'short', day: 'numeric' });
  if (interval !== 'hour') return interval === 'week' ? `Week of ${day}` : day;
  return `${day} ${formatDateTime(at, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' })}`;
}

/** A breakdown value or a special key for people. */
export function valueLabel(key: string | null): string {
  if (key === null) return 'All';
  if (key === '$other') return 'Other values';
  if (key === '$none') return 'No value';
  return key;
}
