import { sql, type RawBuilder } from 'kysely';
import type { SeriesLine, SeriesReport, SeriesRequest } from '@lumio/protocol';
import type { AppDeps } from '../../http/app-deps.js';
import type { DialectName } from '../../db/dialects/dialect-adapter.js';
import { LumioError } from '../../errors/lumio-error.js';
import type { CompiledFilter } from './report-filter.js';
import { breakdownAttribute, eventValueSql, profileValueSql } from './attribute-value-sql.js';
import { companyBreakdown, eventCompaniesSql, personCompaniesSql, type CompanyAttribute } from './company-report-sql.js';
import { INTERVAL_MS, bucketSql, bucketStarts, byText, eventsWhere, reportEvents, toCount, type Interval } from './report-sql.js';

/** How many values a breakdown shows by name unless asked; the rest are summed as {@link OTHER_KEY}. */
export const DEFAULT_BREAKDOWN_LIMIT = 5;
/** The most values a breakdown shows by name. */
export const MAX_BREAKDOWN_LIMIT = 20;
/** The buckets one series may have (an hourly series covers at most 100 days). */
export const MAX_BUCKETS = 2_400;
/** The series key of events whose value is outside the top values. */
export const OTHER_KEY = '$other';
/** The series key of events with no value: no profile at the time (anonymous), or the attribute unset. */
export const NONE_KEY = '$none';

// The report tests import the answer's type from here.
export type { SeriesReport };

/** Kinds of line a breakdown query returns. */
const NONE = 0;
const TOP = 1;
const OTHER = 2;
const TOTAL = -1;

/** Rows of the answer query: people and events (`m` 0), or distinct companies (`m` 1). */
const PEOPLE = 0;
const COMPANIES = 1;

/**
 * Distinct people of rows with a person column `p`: a company's own events
 * (person `c:<companyId>`, server-side events without a user) are events,
 * not people, so they count in `counts` and `companies` but not `uniques`.
 */
const people = (p: RawBuilder<unknown>) => sql`count(DISTINCT CASE WHEN substr(${p}, 1, 2) <> 'c:' THEN ${p} END)`;

/**
 * Counts one event per bucket, in one query: the events are first reduced
 * to one row per bucket and person (and profile snapshot, for a breakdown),
 * then labelled with their value, so the profile join and the distinct
 * counts run over those few rows rather than over every event. With
 * `count: 'companies'`, each line also counts the distinct companies its
 * people belong to (now), and those its events name themselves (server-side
 * events: a company's own, or a user's naming a company the user is not a
 * member of); a `company.<key>` breakdown puts a person's events under each
 * value their companies have, so its lines may add up to more than the totals.
 */
export async function seriesReport(
  deps: Pick<AppDeps, 'db' | 'adapter'>,
  workspaceId: string,
  request: SeriesRequest,
  filter: CompiledFilter,
): Promise<SeriesReport> {
  const interval = request.interval;
  const buckets = bucketStarts(request.from, request.to, interval);
  if (buckets.length > MAX_BUCKETS) {
    const days = Math.floor((MAX_BUCKETS * INTERVAL_MS[interval]) / 86_400_000);
    const message = `A series by ${interval} covers at most ${days} days; narrow the range or widen the interval.`;
    throw new LumioError('invalid_request', message, { field: 'interval' });
  }
  const source = seriesSource(deps.adapter.name, request);
  const { events, n } = source;
  const where = eventsWhere('e', workspaceId, [request.event], request, filter, source.byHour);
  const bucket = bucketSql('e', interval);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const withCompanies = request.count === 'companies';
  const line = (key: string | null): SeriesLine => ({
    key,
    counts: buckets.map(() => 0),
    uniques: buckets.map(() => 0),
    ...(withCompanies ? { companies: buckets.map(() => 0) } : {}),
  });
  const companyAttribute = request.breakdown === undefined ? undefined : companyBreakdown(request.breakdown);
  const pc = (persons: string, attribute?: CompanyAttribute) =>
    personCompaniesSql({ dialect: deps.adapter.name, workspaceId, persons, attribute, view: request.properties });
  // The companies events name themselves, read from the events even when the counts come from the rollup.
  const ec = eventCompaniesSql(bucketSql('e', interval), eventsWhere('e', workspaceId, [request.event], request, filter, true));

  if (request.breakdown === undefined) {
    const companies = withCompanies
      ? sql`
      UNION ALL
      SELECT ${sql.raw(String(COMPANIES))}, b, 0, count(DISTINCT c) FROM bc GROUP BY b
      UNION ALL
      SELECT ${sql.raw(String(COMPANIES))}, NULL, 0, count(DISTINCT c) FROM bc`
      : sql``;
    const { rows } = await sql<{ m: number; b: number | null; count: unknown; uniques: unknown }>`
      WITH agg AS MATERIALIZED (
        SELECT ${bucket} AS b, e.person AS p, ${n} AS n FROM ${events} WHERE ${where} GROUP BY 1, 2
      )${withCompanies ? sql`, ${pc('agg')}, ${ec}, bc AS (SELECT agg.b, pc.c FROM agg JOIN pc ON pc.p = agg.p UNION ALL SELECT b, c FROM ec)` : sql``}
      SELECT ${sql.raw(String(PEOPLE))} AS m, b, sum(n) AS count, ${people(sql.ref('p'))} AS uniques FROM agg GROUP BY b
      UNION ALL
      SELECT ${sql.raw(String(PEOPLE))}, NULL, sum(n), ${people(sql.ref('p'))} FROM agg${companies}`.execute(deps.db);
    const total = line(null);
    const totals: SeriesReport['totals'] = { count: 0, uniques: 0, ...(withCompanies ? { companies: 0 } : {}) };
    for (const row of rows) {
      if (Number(row.m) === COMPANIES) {
        if (row.b === null) totals.companies = toCount(row.uniques);
        else placeCompanies(total, index.get(Number(row.b)), row.uniques);
      } else if (row.b === null) Object.assign(totals, { count: toCount(row.count), uniques: toCount(row.uniques) });
      else place(total, index.get(Number(row.b)), row);
    }
    return { interval, buckets, series: [total], totals };
  }

  const limit = Math.max(1, Math.min(request.limit ?? DEFAULT_BREAKDOWN_LIMIT, MAX_BREAKDOWN_LIMIT));
  const keyed = companyAttribute
    ? companyKeyedEvents(bucket, where, source, pc('agg', companyAttribute))
    : keyedEvents(deps.adapter.name, workspaceId, request, bucket, where, source);
  // A person's events may sit under several values of their companies: the totals count them once.
  const totalsFrom = companyAttribute ? 'agg' : 'labelled';
  // Companies of a line: for a company breakdown, those of its people that have the line's value (none: that lack one);
  // otherwise also those its events name (ec). A company breakdown counts the companies events name in the totals only.
  const sameValue = companyAttribute ? sql` AND (pc.k = labelled.vk OR (pc.k IS NULL AND labelled.vk IS NULL))` : sql``;
  const named = companyAttribute
    ? sql``
    : sql` UNION ALL SELECT labelled.b, labelled.kind, labelled.k, ec.c FROM labelled JOIN ec ON ec.p = labelled.p AND ec.b = labelled.b`;
  const companies = withCompanies
    ? sql`
    UNION ALL
    SELECT ${sql.raw(String(COMPANIES))}, b, kind, k, 0, count(DISTINCT c) FROM (
      SELECT labelled.b, labelled.kind, labelled.k, pc.c FROM labelled JOIN pc ON pc.p = labelled.p${sameValue}${named}
    ) lc GROUP BY b, kind, k
    UNION ALL
    SELECT ${sql.raw(String(COMPANIES))}, NULL, ${sql.raw(String(TOTAL))}, NULL, 0, count(DISTINCT c) FROM (
      SELECT pc.c FROM labelled JOIN pc ON pc.p = labelled.p UNION ALL SELECT c FROM ec
    ) tc`
    : sql``;
  const { rows } = await sql<{ m: number; b: number | null; kind: number; k: string | null; count: unknown; uniques: unknown }>`
    WITH ${keyed},${withCompanies && !companyAttribute ? sql` ${pc('keyed')},` : sql``}${withCompanies ? sql` ${ec},` : sql``}
    top AS (SELECT k FROM keyed WHERE k IS NOT NULL GROUP BY k ORDER BY sum(n) DESC, ${byText(deps.adapter.name, sql.ref('k'))} LIMIT ${limit}),
    labelled AS MATERIALIZED (
      SELECT keyed.b, keyed.p, keyed.n, top.k, keyed.k AS vk,
        CASE WHEN keyed.k IS NULL THEN ${sql.raw(String(NONE))} WHEN top.k IS NOT NULL THEN ${sql.raw(String(TOP))} ELSE ${sql.raw(String(OTHER))} END AS kind
      FROM keyed LEFT JOIN top ON top.k = keyed.k
    )
    SELECT ${sql.raw(String(PEOPLE))} AS m, b, kind, k, sum(n) AS count, ${people(sql.ref('p'))} AS uniques FROM labelled GROUP BY b, kind, k
    UNION ALL
    SELECT ${sql.raw(String(PEOPLE))}, NULL, ${sql.raw(String(TOTAL))}, NULL, sum(n), ${people(sql.ref('p'))} FROM ${sql.table(totalsFrom)}${companies}`.execute(
    deps.db,
  );

  const lines = new Map<string, SeriesLine & { kind: number; events: number }>();
  const totals: SeriesReport['totals'] = { count: 0, uniques: 0, ...(withCompanies ? { companies: 0 } : {}) };
  const lineOf = (kind: number, k: string | null) => {
    const key = kind === TOP ? k! : kind === OTHER ? OTHER_KEY : NONE_KEY;
    const id = `${kind}:${key}`;
    let found = lines.get(id);
    if (!found) lines.set(id, (found = { ...line(key), kind, events: 0 }));
    return found;
  };
  for (const row of rows) {
    const kind = Number(row.kind);
    if (Number(row.m) === COMPANIES) {
      if (kind === TOTAL) totals.companies = toCount(row.uniques);
      else placeCompanies(lineOf(kind, row.k), index.get(Number(row.b)), row.uniques);
      continue;
    }
    if (kind === TOTAL) {
      Object.assign(totals, { count: toCount(row.count), uniques: toCount(row.uniques) });
      continue;
    }
    const found = lineOf(kind, row.k);
    found.events += toCount(row.count);
    place(found, index.get(Number(row.b)), row);
  }
  // Top values by events (ties by value), then the rest, then no value.
  const rank = (kind: number) => (kind === TOP ? 0 : kind === OTHER ? 1 : 2);
  const series = [...lines.values()]
    .sort((a, b) => rank(a.kind) - rank(b.kind) || b.events - a.events || (a.key! < b.key! ? -1 : 1))
    .map(({ key, counts, uniques, companies }) => ({ key, counts, uniques, ...(companies ? { companies } : {}) }));
  return { interval, buckets, series, totals };
}

/** Where a series reads its events: the raw events, or the daily rollup (`events` rows counted per day). */
interface SeriesSource {
  events: RawBuilder<unknown>;
  /** The event count of a group of rows. */
  n: RawBuilder<unknown>;
  /** Whether rows are keyed by hour as in `events_report` (the rollup is keyed by day's start, `at`). */
  byHour: boolean;
}

/**
 * A day or week series over whole UTC days of any widget reads the daily
 * rollup (`event_daily`: one row per name, day, snapshot, trust and person,
 * with its count; its `at` is the day's start), which holds the same counts in
 * fewer rows. Hours, partial days and one widget's events read the events.
 */
export function seriesSource(dialect: DialectName, request: Pick<SeriesRequest, 'interval' | 'from' | 'to' | 'widgetId'>): SeriesSource {
  const day = 86_400_000;
  const daily = request.interval !== 'hour' && request.widgetId === undefined && request.from % day === 0 && request.to % day === 0;
  return daily
    ? { events: sql`event_daily AS e`, n: sql`sum(e.events)`, byHour: false }
    : { events: reportEvents(dialect), n: sql`count(*)`, byHour: true };
}

function placeCompanies(target: SeriesLine, at: number | undefined, count: unknown): void {
  if (at !== undefined && target.companies) target.companies[at] = toCount(count);
}

/**
 * The `keyed` table of a `company.<key>` breakdown: one row per bucket,
 * person and distinct value their companies have (`k`; one row with NULL when
 * none has one), read through the memberships now.
 */
function companyKeyedEvents(bucket: RawBuilder<number>, where: RawBuilder<unknown>, source: SeriesSource, pc: RawBuilder<unknown>) {
  const { events, n } = source;
  return sql`agg AS MATERIALIZED (
      SELECT ${bucket} AS b, e.person AS p, ${n} AS n FROM ${events} WHERE ${where} GROUP BY 1, 2
    ),
    ${pc},
    vals AS MATERIALIZED (SELECT DISTINCT p, k FROM pc WHERE k IS NOT NULL),
    keyed AS MATERIALIZED (
      SELECT agg.b, agg.p, agg.n, vals.k FROM agg LEFT JOIN vals ON vals.p = agg.p
    )`;
}

function place(target: SeriesLine, at: number | undefined, row: { count: unknown; uniques: unknown }): void {
  if (at === undefined) return;
  target.counts[at] = toCount(row.count);
  target.uniques[at] = toCount(row.uniques);
}

/**
 * The `keyed` common table: one row per bucket, person and value (`k`, NULL
 * when none) with its event count `n`. Event-side values (trust, the user)
 * come from the index; profile values from the snapshot each event points
 * at, or from the users table when the report reads current profiles.
 */
function keyedEvents(
  dialect: 'sqlite' | 'postgres',
  workspaceId: string,
  request: SeriesRequest,
  bucket: RawBuilder<number>,
  where: RawBuilder<unknown>,
  source: SeriesSource,
): RawBuilder<unknown> {
  const attribute = breakdownAttribute(request.breakdown!);
  const { events, n } = source;
  if (attribute.source === 'event') {
    return sql`keyed AS MATERIALIZED (
      SELECT ${bucket} AS b, e.person AS p, ${eventValueSql(attribute, 'e')} AS k, ${n} AS n FROM ${events} WHERE ${where} GROUP BY 1, 2, 3
    )`;
  }
  if (request.on === 'current') {
    const value = profileValueSql(attribute, { dialect, alias: 'u', view: request.properties });
    return sql`agg AS MATERIALIZED (
      SELECT ${bucket} AS b, e.person AS p, ${n} AS n FROM ${events} WHERE ${where} GROUP BY 1, 2
    ),
    keyed AS MATERIALIZED (
      SELECT agg.b, agg.p, agg.n, ${value} AS k FROM agg
      LEFT JOIN users u ON u.workspace_id = ${workspaceId} AND substr(agg.p, 1, 2) = 'u:' AND u.user_id = substr(agg.p, 3)
    )`;
  }
  const value = profileValueSql(attribute, { dialect, alias: 's', view: request.properties });
  return sql`agg AS MATERIALIZED (
    SELECT ${bucket} AS b, e.snapshot_id AS sid, e.person AS p, ${n} AS n FROM ${events} WHERE ${where} GROUP BY 1, 2, 3
  ),
  keyed AS MATERIALIZED (
    SELECT agg.b, agg.p, agg.n, ${value} AS k FROM agg
    LEFT JOIN event_snapshots s ON s.workspace_id = ${workspaceId} AND s.id = agg.sid
  )`;
}
