import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { ReportFilter } from '@lumio/protocol';
import type { DialectName } from '../../db/dialects/dialect-adapter.js';
import type { CompiledFilter } from './report-filter.js';

/** The bucket `events_report` orders events by (migration 0008): the hour, as `at / HOUR_MS`. */
export const HOUR_MS = 3_600_000;

/**
 * `alias.at` in [from, to) as `events_report` can range over it: the hours
 * first (the index's third column, the same expression as in the index), then
 * the exact times, which the index entries carry.
 */
export function eventTimeWhere(alias: string, from: number, to: number): RawBuilder<SqlBool> {
  const at = sql.ref(`${alias}.at`);
  const hour = sql`(${at} / ${sql.lit(HOUR_MS)})`;
  return sql<SqlBool>`${hour} >= ${Math.floor(from / HOUR_MS)} AND ${hour} <= ${Math.floor((to - 1) / HOUR_MS)} AND ${at} >= ${from} AND ${at} < ${to}`;
}

/**
 * The events a report reads: one workspace, one or a few event names, a time
 * range, and the filter's profile and trust predicates. Workspace, name and
 * hour lead the `events_report` index, and time, snapshot, trust, person and
 * object follow in it, so a report scans one index range and never the table
 * (a widget filter is the exception: `widget_id` is not in the index).
 * `byHour` false: a table keyed by the time itself (the daily rollup), which
 * the hour terms do not fit.
 */
export function eventsWhere(
  alias: string,
  workspaceId: string,
  names: readonly string[],
  filter: Pick<ReportFilter, 'from' | 'to' | 'widgetId'>,
  compiled: CompiledFilter,
  byHour = true,
): RawBuilder<SqlBool> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  const name =
    names.length === 1 ? sql`${column('name')} = ${names[0]}` : sql`${column('name')} IN (${sql.join(names.map((n) => sql`${n}`))})`;
  const widget = filter.widgetId === undefined ? sql`` : sql` AND ${column('widget_id')} = ${filter.widgetId}`;
  return sql<SqlBool>`${column('workspace_id')} = ${workspaceId} AND ${name} AND ${byHour ? eventTimeWhere(alias, filter.from, filter.to) : sql`${column('at')} >= ${filter.from} AND ${column('at')} < ${filter.to}`} AND ${compiled.who(alias)} AND ${compiled.trust(alias)}${widget}`;
}

/**
 * The events table under `alias`, for a report's FROM. On SQLite it names the
 * report index: given a list of persons (a condition on current profiles) the
 * planner may otherwise pick `events_person`, walking it once per person and
 * reading every event row to check its name.
 */
export function reportEvents(dialect: DialectName, alias = 'e'): RawBuilder<unknown> {
  return dialect === 'sqlite' ? sql`events AS ${sql.id(alias)} INDEXED BY events_report` : sql`events AS ${sql.id(alias)}`;
}

/** How long each bucket of a series is. */
export const INTERVAL_MS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;

/** A series' bucket size. */
export type Interval = keyof typeof INTERVAL_MS;

// Weeks start on Monday 00:00 UTC; 1970-01-01 was a Thursday, three days after one.
const WEEK_SHIFT = 3 * 86_400_000;

/** The start (epoch ms, UTC) of the bucket holding a time. */
export function bucketStart(at: number, interval: Interval): number {
  const size = INTERVAL_MS[interval];
  const shift = interval === 'week' ? WEEK_SHIFT : 0;
  return Math.floor((at + shift) / size) * size - shift;
}

/** Every bucket start from the one holding `from` up to (excluding) `to`. */
export function bucketStarts(from: number, to: number, interval: Interval): number[] {
  const starts: number[] = [];
  for (let at = bucketStart(from, interval); at < to; at += INTERVAL_MS[interval]) starts.push(at);
  return starts;
}

/**
 * {@link bucketStart} in SQL over `alias.at`: integer division on both engines
 * (`at` is a bigint on PostgreSQL, an integer on SQLite; times are never negative).
 */
export function bucketSql(alias: string, interval: Interval): RawBuilder<number> {
  const at = sql.ref(`${alias}.at`);
  const size = sql.raw(String(INTERVAL_MS[interval]));
  if (interval !== 'week') return sql<number>`(${at} / ${size} * ${size})`;
  const shift = sql.raw(String(WEEK_SHIFT));
  return sql<number>`((${at} + ${shift}) / ${size} * ${size} - ${shift})`;
}

/** A count from either engine (PostgreSQL hands sums of bigints back as numeric text). */
export function toCount(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Orders text by code point on both engines (PostgreSQL would follow the database's locale). */
export function byText(dialect: DialectName, text: RawBuilder<unknown> | ReturnType<typeof sql.ref>): RawBuilder<unknown> {
  return dialect === 'postgres' ? sql`${text} COLLATE "C"` : sql`${text}`;
}
