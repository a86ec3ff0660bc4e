import type { ReportFilter } from '@lumio/protocol';
import type { BuiltInEventName } from '@lumio/protocol/browser';
import { parseConditionJson } from '../conditions/parse-condition-json.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The widget's built-in events with their names for people; the type keeps the list in step with the protocol's. */
export const BUILT_IN_EVENTS = {
  $widget_opened: 'Widget opened',
  $widget_closed: 'Widget closed',
  $article_viewed: 'Article viewed',
  $article_searched: 'Article searched',
  $article_rated: 'Article rated',
  $article_saved: 'Article saved',
  $announcement_shown: 'Announcement shown',
  $announcement_clicked: 'Announcement clicked',
  $announcement_dismissed: 'Announcement dismissed',
  $identify: 'Identify outcome',
} as const satisfies Record<BuiltInEventName, string>;

/** The preset date ranges of the filter bar, in days. */
export const RANGE_PRESETS = ['7', '30', '90'] as const;

/** The analytics view as kept in the URL's search params, so a view can be shared by its link. */
export interface AnalyticsFilters {
  report: string;
  event: string;
  /** A preset number of days, or `custom` (then `fromDate`/`toDate`, YYYY-MM-DD, UTC days). */
  range: string;
  fromDate: string;
  toDate: string;
  interval: 'hour' | 'day' | 'week';
  /** The targeting condition as JSON text; empty for none. */
  condition: string;
  segmentId: string;
  verifiedOnly: boolean;
  on: 'snapshot' | 'current';
  breakdown: string;
  /** What the events report draws: events, distinct people, or distinct companies (through memberships). */
  measure: Measure;
}

/** The events report's measures. */
export type Measure = 'count' | 'uniques' | 'companies';

/** Reads the analytics view from search params, with defaults for what is missing or malformed. */
export function readFilters(params: URLSearchParams): AnalyticsFilters {
  const interval = params.get('interval');
  const range = params.get('range') ?? '30';
  return {
    report: params.get('report') ?? 'events',
    event: params.get('event') || '$widget_opened',
    range: range === 'custom' || (RANGE_PRESETS as readonly string[]).includes(range) ? range : '30',
    fromDate: params.get('from') ?? '',
    toDate: params.get('to') ?? '',
    interval: interval === 'hour' || interval === 'week' ? interval : 'day',
    condition: params.get('condition') ?? '',
    segmentId: params.get('segment') ?? '',
    verifiedOnly: params.get('verified') === '1',
    on: params.get('on') === 'current' ? 'current' : 'snapshot',
    breakdown: params.get('breakdown') ?? '',
    measure: params.get('measure') === 'uniques' ? 'uniques' : params.get('measure') === 'companies' ? 'companies' : 'count',
  };
}

const PARAM_OF: Record<keyof AnalyticsFilters, string> = {
  report: 'report',
  event: 'event',
  range: 'range',
  fromDate: 'from',
  toDate: 'to',
  interval: 'interval',
  condition: 'condition',
  segmentId: 'segment',
  verifiedOnly: 'verified',
  on: 'on',
  breakdown: 'breakdown',
  measure: 'measure',
};

/** Writes changed filters into search params; defaults and empty values are left out to keep links short. */
export function writeFilters(params: URLSearchParams, changes: Partial<AnalyticsFilters>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [field, value] of Object.entries(changes) as Array<[keyof AnalyticsFilters, AnalyticsFilters[keyof AnalyticsFilters]]>) {
    const name = PARAM_OF[field];
    const text = typeof value === 'boolean' ? (value ? '1' : '') : value;
    if (text) next.set(name, text);
    else next.delete(name);
  }
  return next;
}

/** A YYYY-MM-DD day as its UTC midnight, or null when it is not a date. */
function utcDay(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const at = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(at) ? null : at;
}

/** A UTC day as YYYY-MM-DD. */
export function dayText(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * The report range: a preset by day or week covers whole UTC days, today
 * included (the server then reads its daily rollup instead of every event:
 * at 10M events the page took 1.6 s with hour-aligned ranges); by hour it
 * ends at the next whole hour (stable for the hour, so answers are cached and
 * shared). A custom range covers whole UTC days, the last one included.
 */
export function rangeOf(filters: AnalyticsFilters, now = Date.now()): { from: number; to: number } {
  if (filters.range === 'custom') {
    const from = utcDay(filters.fromDate);
    const to = utcDay(filters.toDate);
    if (from !== null && to !== null) return { from, to: to + DAY_MS };
  }
  const days = filters.range === 'custom' ? 30 : Number(filters.range);
  const step = filters.interval === 'hour' ? HOUR_MS : DAY_MS;
  const to = Math.floor(now / step) * step + step;
  return { from: to - days * DAY_MS, to };
}

/** The filter fields of a report body (every report but identity health). */
export function filterBody(filters: AnalyticsFilters, range: { from: number; to: number }): ReportFilter {
  // A link's condition that is not JSON is left out (the filter bar says where it breaks).
  const condition = filters.condition.trim() ? parseConditionJson(filters.condition) : null;
  return {
    ...range,
    ...(condition?.ok ? { condition: condition.value } : {}),
    ...(filters.segmentId ? { segmentId: filters.segmentId } : {}),
    ...(filters.on === 'current' ? { on: 'current' as const } : {}),
    ...(filters.verifiedOnly ? { verifiedOnly: true } : {}),
  };
}
