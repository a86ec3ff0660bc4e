import type { ValidationResult } from '../identity/validation-result.js';
import type { PropertyValue } from '../identity/properties.js';
import { describeType, normalizeUserId } from '../identity/user-id.js';
import { EventLimits, validateAnalyticsEvent, type AnalyticsEvent } from './analytics-event.js';

// The wire shape of the server API's event intake (POST /server/v1/events):
// events a host's backend records, for a user and/or a company. Each event
// passes the widget's own validator (names, props, limits) first.

/** Bounds of the server API's event intake. */
export const ServerEventLimits = {
  /** Events in one batch (the same as the widget's). */
  maxBatch: EventLimits.maxBatch,
  /** Size of one request body, in bytes. */
  maxBodyBytes: 512 * 1024,
  /** How far ahead of the server's clock an event's time may be. */
  maxFutureMs: EventLimits.maxFutureMs,
} as const;

/** One event as a host's backend sends it; at least one of `userId` and `company`. */
export interface ServerEventInput {
  /** Unique per event, 8–64 letters, digits, `_` or `-`: the idempotency key (a resent event is stored once). */
  id: string;
  /** The host's own event name (never `$…`: those are the widget's). */
  name: string;
  /** The user it happened to (created empty when unknown). */
  userId?: string | number;
  /** The host's id of the company it happened to (created empty when unknown). */
  company?: string | number;
  /** When it happened, epoch milliseconds; the server's clock when absent. */
  at?: number;
  /** Flat custom properties, the same rules as a widget event's props. */
  properties?: Record<string, PropertyValue>;
}

/** A server event that passed validation. */
export interface ServerEvent extends AnalyticsEvent {
  userId: string | null;
  companyId: string | null;
}

/** What happened to one event of a batch, at its index in the request. */
export type ServerEventResult =
  | { index: number; id: string; status: 'accepted' | 'duplicate' }
  | { index: number; id?: string; status: 'rejected'; code: string; message: string };

/** The answer to POST /server/v1/events: counts, each refused event, and one result per event in request order. */
export interface ServerEventBatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; id?: string; code: string; message: string }>;
  results: ServerEventResult[];
}

const FIELDS = new Set(['id', 'name', 'userId', 'company', 'at', 'properties']);

/**
 * Checks one server event: its subject (`userId` and/or `company`, each a
 * non-empty string of at most 255 characters or a safe integer), a custom
 * name (built-in `$` names are the widget's), and then everything the
 * widget's validator checks. `at` defaults to `now` and may be as old as the
 * workspace's retention (`maxAgeMs`). Never throws.
 *
 * @example validateServerEvent({ id: 'evt_00000001', name: 'invoice paid', userId: 'u_1' }, Date.now(), 365 * 86_400_000)
 */
export function validateServerEvent(input: unknown, now: number, maxAgeMs: number): ValidationResult<ServerEvent> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalid(`An event must be an object, not ${describeType(input)}.`);
  }
  const e = input as Record<string, unknown>;
  for (const key of Object.keys(e)) if (!FIELDS.has(key)) return invalid(`Unknown event field "${key.slice(0, 40)}".`, key);
  let userId: string | null = null;
  if (e.userId !== undefined && e.userId !== null) {
    const checked = normalizeUserId(e.userId);
    if (!checked.ok) return { ok: false, issue: checked.issue };
    userId = checked.value;
  }
  let companyId: string | null = null;
  if (e.company !== undefined && e.company !== null) {
    // A company id follows the userId rules (the host's own id, exactly as sent).
    const checked = normalizeUserId(e.company);
    if (!checked.ok) return invalid(checked.issue.message.replace(/^userId/, 'company'), 'company');
    companyId = checked.value;
  }
  if (userId === null && companyId === null) return invalid('An event needs a "userId", a "company", or both.', 'userId');
  if (typeof e.name === 'string' && e.name.startsWith('$')) {
    return invalid('Names starting with "$" are the widget\'s own events; name your server events without it.', 'name');
  }
  const checked = validateAnalyticsEvent({ id: e.id, name: e.name, at: e.at ?? now, props: e.properties }, now, {
    maxAgeMs,
    maxFutureMs: ServerEventLimits.maxFutureMs,
  });
  if (!checked.ok) {
    // The widget's validator names its field `props`; here it is `properties`.
    const field = checked.issue.details?.field;
    if (typeof field !== 'string' || !field.startsWith('props')) return checked;
    return { ok: false, issue: { ...checked.issue, details: { ...checked.issue.details, field: field.replace(/^props/, 'properties') } } };
  }
  return { ok: true, value: { ...checked.value, userId, companyId } };
}

function invalid(message: string, field?: string): ValidationResult<ServerEvent> {
  return { ok: false, issue: { code: 'invalid_event', message, ...(field ? { details: { field } } : {}) } };
}
