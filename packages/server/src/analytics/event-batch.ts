import { EventLimits, type EventBatchAnswer, type ValidationResult } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import type { IngestionQuota } from './ingestion-quota.js';

// The steps every event intake shares (the widget's, event-ingestion.ts, and
// the server API's, server-event-ingestion.ts), so both refuse, count and
// deduplicate a batch the same way.

/** A batch after checking each event: what passed (with its index), what was refused, and repeats within the batch. */
export interface ScreenedBatch<T> {
  valid: Array<{ index: number; event: T }>;
  rejected: EventBatchAnswer['rejected'];
  /** Indexes of events whose id came earlier in the same batch: one event, sent twice. */
  repeats: Array<{ index: number; id: string }>;
}

/** The events array of a batch body, or a clear error: not `{ events: [...] }`, or more than the batch limit. */
export function eventsOf(body: unknown, metrics: AppDeps['metrics']): unknown[] {
  const events = (body as { events?: unknown } | null)?.events;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !Array.isArray(events)) {
    throw new LumioError('invalid_request', `Send { "events": [ … ] }: an array of at most ${EventLimits.maxBatch} events.`, {
      field: 'events',
    });
  }
  if (events.length > EventLimits.maxBatch) {
    metrics.eventsRejected.inc({ reason: 'too_many_events' }, events.length);
    throw new LumioError('too_many_events', undefined, { limit: EventLimits.maxBatch, actual: events.length });
  }
  return events;
}

/**
 * Checks each event on its own with `check`: a bad one is refused with its
 * code and index (the rest are kept), and an id seen earlier in the batch is
 * a repeat of that event, not a second one.
 */
export function screenBatch<T extends { id: string }>(
  events: readonly unknown[],
  check: (input: unknown) => ValidationResult<T>,
  metrics: AppDeps['metrics'],
): ScreenedBatch<T> {
  const screened: ScreenedBatch<T> = { valid: [], rejected: [], repeats: [] };
  const seen = new Set<string>();
  events.forEach((input, index) => {
    const checked = check(input);
    if (!checked.ok) {
      const id = (input as { id?: unknown } | null)?.id;
      screened.rejected.push({
        index,
        ...(typeof id === 'string' ? { id: id.slice(0, 64) } : {}),
        code: checked.issue.code,
        message: checked.issue.message,
      });
      metrics.eventsRejected.inc({ reason: checked.issue.code });
      return;
    }
    if (seen.has(checked.value.id)) screened.repeats.push({ index, id: checked.value.id });
    else {
      seen.add(checked.value.id);
      screened.valid.push({ index, event: checked.value });
    }
  });
  return screened;
}

/** Takes `count` events from the workspace's ingestion quota, or refuses the whole batch with Retry-After. */
export async function takeQuota(
  quota: IngestionQuota,
  metrics: AppDeps['metrics'],
  workspaceId: string,
  count: number,
  now: number,
): Promise<void> {
  const decision = await quota.take(workspaceId, count, now);
  if (decision.ok) return;
  metrics.eventsRejected.inc({ reason: 'events_quota_exceeded' }, count);
  throw new LumioError(
    'events_quota_exceeded',
    `This workspace is over its ingestion quota; retry in ${decision.retryAfterSeconds} s.`,
    { retryAfterSeconds: decision.retryAfterSeconds },
    { 'retry-after': String(decision.retryAfterSeconds) },
  );
}

/** Counts a stored batch in the metrics: `inserted` of `valid` events were new, the rest duplicates. */
export function countStored(metrics: AppDeps['metrics'], valid: number, inserted: number): void {
  metrics.eventsIngested.inc(inserted);
  if (valid > inserted) metrics.eventsRejected.inc({ reason: 'duplicate' }, valid - inserted);
}
