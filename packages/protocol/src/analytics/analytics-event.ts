import type { ValidationResult } from '../identity/validation-result.js';
import { validateProperties, type PropertyValue } from '../identity/properties.js';
import { codePointLength, describeType } from '../identity/user-id.js';

// The wire shape of the widget's event API (POST /widget/v1/:widgetId/events)
// and the one validator of an event: the server runs it on every event, the
// SDK only builds events of this shape.

/** The type of one property of a built-in event. */
type PropType = 'string' | 'count' | 'boolean';

interface BuiltInSpec {
  /** Each prop the event carries, and whether it is required. */
  props: Record<string, { type: PropType; required: boolean; maxLength?: number }>;
  /** The prop that names what the event is about (an article, an announcement, a search query), stored as its object. */
  object?: string;
}

const id = { type: 'string', required: true, maxLength: 64 } as const;

/**
 * The events Lumio's own widget records. Their names start with `$`, so they
 * never collide with a host's own `track` events, and their props are fixed.
 */
export const BuiltInEvents = {
  $widget_opened: { props: {} },
  $widget_closed: { props: {} },
  // `search: true` when the article was opened from the widget's search results (a search that led to a click).
  $article_viewed: { props: { articleId: id, search: { type: 'boolean', required: false } }, object: 'articleId' },
  $article_searched: {
    props: { query: { type: 'string', required: true, maxLength: 200 }, results: { type: 'count', required: true } },
    object: 'query',
  },
  $article_rated: { props: { articleId: id, helpful: { type: 'boolean', required: true } }, object: 'articleId' },
  $article_saved: { props: { articleId: id, saved: { type: 'boolean', required: true } }, object: 'articleId' },
  $announcement_shown: { props: { announcementId: id }, object: 'announcementId' },
  $announcement_clicked: { props: { announcementId: id }, object: 'announcementId' },
  $announcement_dismissed: { props: { announcementId: id }, object: 'announcementId' },
  $identify: {
    props: {
      outcome: { type: 'string', required: true, maxLength: 16 },
      reason: { type: 'string', required: false, maxLength: 64 },
      // The userId a failed identify tried to take: a claim that failed, never the session's user.
      attemptedUserId: { type: 'string', required: false, maxLength: 255 },
    },
  },
} as const satisfies Record<string, BuiltInSpec>;

/** The name of one of the widget's built-in events. */
export type BuiltInEventName = keyof typeof BuiltInEvents;

/** Bounds on events; they keep one event a small row and a batch a small request. */
export const EventLimits = {
  /** Events in one batch. */
  maxBatch: 100,
  /** Length of a client-generated event id (letters, digits, `_`, `-`; at least 8). */
  maxIdLength: 64,
  /** Length of a custom event name. */
  maxNameLength: 64,
  /** Props of a custom event. */
  maxProps: 25,
  /** Serialised size of a custom event's props, in characters. */
  maxPropsLength: 4096,
  /** How far in the past an event's time may be (the SDK's queue holds events for minutes, not days). */
  maxAgeMs: 72 * 3600_000,
  /** How far ahead of the server's clock an event's time may be (clock skew of the browser). */
  maxFutureMs: 10 * 60_000,
} as const;

/** How old and how far ahead of the server's clock an event's time may be. */
export interface EventTimeWindow {
  maxAgeMs: number;
  maxFutureMs: number;
}

/** One event as the SDK sends it. */
export interface AnalyticsEventInput {
  /** Client-generated, unique per event: a retried batch sends the same ids and is not counted twice. */
  id: string;
  /** A built-in `$…` name, or the host's own name (`lumio.track`). */
  name: string;
  /** When it happened, epoch milliseconds on the browser's clock. */
  at: number;
  props?: Record<string, PropertyValue> | undefined;
}

/** An event that passed validation. */
export interface AnalyticsEvent {
  id: string;
  name: string;
  at: number;
  /** What the event is about (article id, announcement id, normalised search query), or null. */
  object: string | null;
  props: Record<string, PropertyValue>;
}

/** The body of POST /widget/v1/:widgetId/events. */
export interface EventBatchRequest {
  events: AnalyticsEventInput[];
}

/** The answer to an event batch: what was stored, what was already stored, and each event refused with why. */
export interface EventBatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; id?: string; code: string; message: string }>;
}

/** Event ids: the SDK makes a time-ordered 26-character id; the server accepts any of this form. */
export const EVENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
// Custom names: letters and digits first, then a few separators; never `$` (built-ins own it).
const CUSTOM_NAME_PATTERN = /^[\p{L}\p{N}_][\p{L}\p{N}_ .:/-]*$/u;

/**
 * Checks one event: its id, its name (a built-in with its fixed props, or a
 * custom name with flat props), and its time against the server's clock
 * (`now`) within {@link EventLimits}, or within `window` when given (the
 * server API accepts older events: analytics/server-event.ts). Never throws.
 *
 * @example validateAnalyticsEvent({ id: 'e_0000001', name: '$article_viewed', at: Date.now(), props: { articleId: 'art_1' } }, Date.now())
 */
export function validateAnalyticsEvent(
  input: unknown,
  now: number,
  window: EventTimeWindow = EventLimits,
): ValidationResult<AnalyticsEvent> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return invalid(`An event must be an object, not ${describeType(input)}.`);
  }
  const e = input as Record<string, unknown>;
  if (typeof e.id !== 'string' || !EVENT_ID_PATTERN.test(e.id)) {
    return invalid('An event needs an "id" of 8 to 64 letters, digits, "_" or "-", unique per event.', { field: 'id' });
  }
  if (typeof e.name !== 'string' || e.name.length === 0) return invalid('An event needs a "name".', { field: 'name' });
  if (typeof e.at !== 'number' || !Number.isSafeInteger(e.at)) {
    return invalid('An event needs "at": its time in epoch milliseconds (an integer).', { field: 'at' });
  }
  if (e.at < now - window.maxAgeMs || e.at > now + window.maxFutureMs) {
    const oldest = window === EventLimits ? '72 hours' : `${Math.round(window.maxAgeMs / 86_400_000)} days (the workspace's retention)`;
    return {
      ok: false,
      issue: {
        code: 'event_time_out_of_range',
        message: `The event's time ${new Date(e.at).toISOString()} is more than ${oldest} old or more than ${window.maxFutureMs / 60_000} minutes ahead of the server's clock; check the sender's clock.`,
        details: { field: 'at', at: e.at, serverTime: now },
      },
    };
  }
  for (const key of Object.keys(e)) {
    if (key !== 'id' && key !== 'name' && key !== 'at' && key !== 'props') return invalid(`Unknown event field "${key}".`, { field: key });
  }
  const name = e.name;
  if (name.startsWith('$')) return builtIn(e.id, name, e.at, e.props);
  if (codePointLength(name) > EventLimits.maxNameLength || !CUSTOM_NAME_PATTERN.test(name) || !name.isWellFormed()) {
    return invalid(
      `Event name "${name.slice(0, 80)}" is not allowed: up to ${EventLimits.maxNameLength} letters, digits, spaces, "_", ".", ":", "/" or "-", starting with a letter, digit or "_".`,
      { field: 'name' },
    );
  }
  const props = validateProperties(e.props, 'props');
  if (!props.ok) return { ok: false, issue: { ...props.issue, code: 'invalid_event' } };
  const entries = Object.entries(props.value).filter((entry): entry is [string, PropertyValue] => entry[1] !== null);
  if (entries.length > EventLimits.maxProps) {
    return invalid(`An event may carry at most ${EventLimits.maxProps} props; this one has ${entries.length}.`, { field: 'props' });
  }
  const clean = Object.fromEntries(entries);
  if (JSON.stringify(clean).length > EventLimits.maxPropsLength) {
    return invalid(`An event's props may take at most ${EventLimits.maxPropsLength} characters as JSON.`, { field: 'props' });
  }
  return { ok: true, value: { id: e.id, name, at: e.at, object: null, props: clean } };
}

/** Whether a name is one of the built-in events. */
export function isBuiltInEvent(name: string): name is BuiltInEventName {
  return Object.prototype.hasOwnProperty.call(BuiltInEvents, name);
}

function builtIn(id: string, name: string, at: number, rawProps: unknown): ValidationResult<AnalyticsEvent> {
  if (!isBuiltInEvent(name)) {
    return {
      ok: false,
      issue: {
        code: 'unknown_event_type',
        message: `"${name.slice(0, 80)}" is not an event Lumio knows; names starting with "$" are Lumio's own, so name your events without it.`,
        details: { field: 'name', known: Object.keys(BuiltInEvents) },
      },
    };
  }
  const spec: BuiltInSpec = BuiltInEvents[name];
  const input = rawProps ?? {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return invalid(`The props of ${name} must be an object.`);
  const props: Record<string, PropertyValue> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const rule = Object.prototype.hasOwnProperty.call(spec.props, key) ? spec.props[key] : undefined;
    if (!rule)
      return invalid(`${name} has no prop "${key}"; it takes ${Object.keys(spec.props).join(', ') || 'none'}.`, { field: `props.${key}` });
    if (value === undefined || value === null) continue;
    const fits =
      rule.type === 'string'
        ? typeof value === 'string' && value.isWellFormed() && codePointLength(value) <= (rule.maxLength ?? 256)
        : rule.type === 'count'
          ? typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
          : typeof value === 'boolean';
    if (!fits) {
      const what =
        rule.type === 'string'
          ? `a string of at most ${rule.maxLength ?? 256} characters`
          : rule.type === 'count'
            ? 'a whole number ≥ 0'
            : 'true or false';
      return invalid(`Prop "${key}" of ${name} must be ${what}.`, { field: `props.${key}` });
    }
    props[key] = value as PropertyValue;
  }
  for (const [key, rule] of Object.entries(spec.props)) {
    if (rule.required && !(key in props)) return invalid(`${name} needs the prop "${key}".`, { field: `props.${key}` });
  }
  const raw = spec.object ? props[spec.object] : undefined;
  const object = raw === undefined ? null : name === '$article_searched' ? normalizeSearchQuery(String(raw)) : String(raw);
  return { ok: true, value: { id, name, at, object, props } };
}

/** A search query as reports group it: trimmed, lower-cased, inner spaces collapsed. */
export function normalizeSearchQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, ' ');
}

function invalid(message: string, details?: Record<string, unknown>): ValidationResult<AnalyticsEvent> {
  return { ok: false, issue: { code: 'invalid_event', message, ...(details ? { details } : {}) } };
}
