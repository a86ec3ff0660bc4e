import type { IdentityHour } from '@lumio/protocol';

/** Identify outcomes of one bucket of the chart (an hour, six hours or a day). */
export interface IdentityBucket {
  start: number;
  verified: number;
  identified: number;
  failed: number;
}

const HOUR_MS = 3_600_000;

/** How many hours one bar spans for a period: hourly for a day, 6 hours for a week, daily beyond. */
export function bucketHours(periodHours: number): number {
  return periodHours <= 24 ? 1 : periodHours <= 24 * 7 ? 6 : 24;
}

/**
 * Groups the API's hours (only those with traffic) into consecutive buckets
 * covering the whole period, empty ones included, so gaps show as gaps.
 */
export function toBuckets(hours: IdentityHour[], periodHours: number, now: number): IdentityBucket[] {
  const size = bucketHours(periodHours) * HOUR_MS;
  const end = Math.floor(now / size) * size;
  const count = Math.ceil(periodHours / bucketHours(periodHours));
  const buckets: IdentityBucket[] = [];
  for (let i = count - 1; i >= 0; i--) buckets.push({ start: end - i * size, verified: 0, identified: 0, failed: 0 });
  const first = buckets[0]!.start;
  for (const h of hours) {
    const index = Math.floor((h.hour - first) / size);
    const bucket = buckets[Math.max(0, Math.min(buckets.length - 1, index))]!;
    bucket.verified += h.verified;
    bucket.identified += h.identified;
    bucket.failed += h.failed;
  }
  return buckets;
}
