import { sql, type RawBuilder } from 'kysely';
import {
  AGE_BANDS,
  type AgeBand,
  type DemographicInterests,
  type DemographicsReport,
  type DemographicsRequest,
  type DemographicValue,
} from '@lumio/protocol';
import type { AppDeps } from '../../http/app-deps.js';
import type { DialectName } from '../../db/dialects/dialect-adapter.js';
import { LumioError } from '../../errors/lumio-error.js';
import { dayOf } from '../event-store.js';
import type { CompiledFilter } from './report-filter.js';
import { breakdownAttribute, eventValueSql, profileValueSql, type BreakdownAttribute } from './attribute-value-sql.js';
import { byText, toCount } from './report-sql.js';
import { InterestsReader } from '../../interests/interests-reader.js';
import { interestLevelSql } from '../../interests/interest-level-sql.js';

/** The attributes one demographics report may break down besides gender and age. */
export const MAX_DEMOGRAPHIC_ATTRIBUTES = 5;
/** How many values of an attribute are shown by name; the rest are counted as `$other`. */
export const DEMOGRAPHIC_TOP_VALUES = 10;
/** How many topics the top interests list. */
export const DEMOGRAPHIC_TOP_INTERESTS = 10;
/** The interest level from which a person counts as interested in a topic. */
export const DEMOGRAPHIC_INTEREST_THRESHOLD = 0.5;
// The report tests import the request's type from here.
export type { DemographicsRequest };

const OTHER = '$other';
const NONE = '$none';

/** One row of the query: a person active under one profile state and trust level, with that profile's values. */
type ProfileRow = { p: string; t: string } & Record<`v${number}`, string | null>;

/**
 * Who the active persons of a range were, read from the daily rollup
 * (`event_person_days`, never the events: it stays one index range however
 * many events there are) and the profile each day was recorded under — the
 * snapshot (default) or, with `on: 'current'`, the user's profile now.
 *
 * The rollup counts whole UTC days: every day overlapping [from, to) counts.
 * Each figure counts distinct persons per value, so a person whose value
 * changed within the range (a plan upgrade, a new birthday's age band) counts
 * under each value they had, and a person active as both verified and
 * identified counts under both trust levels. `$none` counts persons who never
 * had a value in the range: anonymous ones, and users without the attribute.
 * Age is whole years at `to`. A widget filter is refused: the rollup spans
 * every widget of the workspace.
 *
 * One query reduces the rollup to one row per person and profile state
 * (about one per person) with that profile's values as text; the counting
 * per value is done here, in one pass, rather than by a distinct count per
 * value and section in SQL.
 */
export async function demographicsReport(
  deps: Pick<AppDeps, 'adapter' | 'db' | 'clock'>,
  workspaceId: string,
  request: DemographicsRequest,
  filter: CompiledFilter,
): Promise<DemographicsReport> {
  if (request.widgetId !== undefined) {
    throw new LumioError('invalid_request', 'Demographics cover every widget of the workspace; remove widgetId.', { field: 'widgetId' });
  }
  const dialect = deps.adapter.name;
  const paths = checkedAttributes(request.attributes);
  const current = request.on === 'current';
  const view = request.properties;
  const valueOf = (attribute: BreakdownAttribute): RawBuilder<string | null> =>
    attribute.source === 'event'
      ? eventValueSql(attribute, 'base')
      : profileValueSql(attribute, { dialect, alias: current ? 'u' : 's', view });
  const values = [
    valueOf({ source: 'profile', kind: 'trait', name: 'gender' }),
    ageBandSql(dialect, valueOf({ source: 'profile', kind: 'trait', name: 'birthday' }), request.to),
    ...paths.map((path) => valueOf(breakdownAttribute(path))),
  ];

  const range = rangeOf(workspaceId, request, filter);
  // One row per person, profile state and trust level. NOTE: the person never leads the DISTINCT:
  // SQLite's planner would then prefer the (workspace, person) index and read the workspace's whole history.
  const base = current
    ? sql`SELECT DISTINCT d.trust, d.person FROM event_person_days d WHERE ${range}`
    : sql`SELECT DISTINCT d.snapshot_id, d.trust, d.person FROM event_person_days d WHERE ${range}`;
  const join = current
    ? sql`LEFT JOIN users u ON u.workspace_id = ${workspaceId} AND substr(base.person, 1, 2) = 'u:' AND u.user_id = substr(base.person, 3)`
    : sql`LEFT JOIN event_snapshots s ON s.workspace_id = ${workspaceId} AND s.id = base.snapshot_id`;
  const [{ rows }, topics] = await Promise.all([
    sql<ProfileRow>`
    WITH base AS MATERIALIZED (${base})
    SELECT base.person AS p, base.trust AS t, ${sql.join(values.map((v, i) => sql`${v} AS ${sql.ref(`v${i}`)}`))} FROM base ${join}`.execute(
      deps.db,
    ),
    new InterestsReader(deps.db)
      .halfLifeDays(workspaceId)
      .then((halfLifeDays) => topInterestsQuery(dialect, workspaceId, range, deps.clock.now(), halfLifeDays).execute(deps.db)),
  ]);

  // A person's rows: most persons have one, so keep the row itself and make a list only for the others.
  const persons = new Map<string, ProfileRow | ProfileRow[]>();
  for (const row of rows) {
    const seen = persons.get(row.p);
    if (seen === undefined) persons.set(row.p, row);
    else if (Array.isArray(seen)) seen.push(row);
    else persons.set(row.p, [seen, row]);
  }
  const trust = { verified: 0, identified: 0, anonymous: 0 };
  for (const person of persons.values()) {
    for (const level of valuesOf(person, (row) => row.t)) if (level in trust) trust[level as keyof typeof trust]++;
  }
  const section = (i: number) => countValues(persons, (row) => row[`v${i}`] ?? null);
  const ages = new Map(section(1).map((a) => [a.value, a.persons]));
  return {
    activePersons: persons.size,
    trust,
    gender: section(0),
    ageBands: AGE_BANDS.map((band) => ({ band, persons: ages.get(band) ?? 0 })),
    attributes: Object.fromEntries(paths.map((path, i) => [path, section(i + 2)])),
    interests: interestsOf(topics.rows, persons),
  };
}

/**
 * The rollup rows of the report's range and filter, under the alias `d`. A
 * company's own server-side events (person `c:<companyId>`) are no person.
 */
function rangeOf(workspaceId: string, request: DemographicsRequest, filter: CompiledFilter): RawBuilder<unknown> {
  return sql`d.workspace_id = ${workspaceId} AND d.day >= ${dayOf(request.from)} AND d.day <= ${dayOf(request.to - 1)}
    AND substr(d.person, 1, 2) <> 'c:' AND ${filter.who('d')} AND ${filter.trust('d')}`;
}

type InterestRow = { topic: string; persons: number | string; total: number | string };

/**
 * The topics most active known users are interested in: one grouped query
 * over the range's persons with a userId, joined on their verified interest
 * rows by primary key (`interest_scores_pk`: workspace, viewer). Levels are
 * read at `now`, not as of the range: interest_scores keeps no history.
 * Exported for the query-plan test.
 */
export function topInterestsQuery(
  dialect: DialectName,
  workspaceId: string,
  range: RawBuilder<unknown>,
  now: number,
  halfLifeDays: number,
): RawBuilder<InterestRow> {
  const level = interestLevelSql(dialect, sql.ref('i.score'), sql.ref('i.updated_at'), now, halfLifeDays);
  const interested = sql`SUM(CASE WHEN l.level >= ${DEMOGRAPHIC_INTEREST_THRESHOLD} THEN 1 ELSE 0 END)`;
  // NOTE: as in the profile query, the person does not lead the first DISTINCT (SQLite's planner).
  return sql<InterestRow>`
    WITH base AS MATERIALIZED (SELECT DISTINCT d.trust, d.person FROM event_person_days d WHERE ${range} AND substr(d.person, 1, 2) = 'u:'),
    known AS (SELECT DISTINCT substr(base.person, 3) AS user_id FROM base),
    l AS (SELECT i.topic AS topic, ${level} AS level FROM known JOIN interest_scores i ON i.workspace_id = ${workspaceId} AND i.viewer = 'v:' || known.user_id)
    SELECT l.topic AS topic, ${interested} AS persons, SUM(l.level) AS total FROM l
    GROUP BY l.topic HAVING ${interested} > 0
    ORDER BY persons DESC, total DESC, ${byText(dialect, sql.ref('l.topic'))} LIMIT ${DEMOGRAPHIC_TOP_INTERESTS}`;
}

function interestsOf(rows: InterestRow[], persons: Map<string, unknown>): DemographicInterests {
  let knownPersons = 0;
  for (const person of persons.keys()) if (person.startsWith('u:')) knownPersons++;
  return {
    threshold: DEMOGRAPHIC_INTEREST_THRESHOLD,
    knownPersons,
    topics: rows.map((row) => ({
      topic: row.topic,
      persons: toCount(row.persons),
      meanLevel: knownPersons === 0 ? 0 : Math.round((Number(row.total) / knownPersons) * 10_000) / 10_000,
    })),
  };
}

/** The distinct values of a person's rows (usually one row), nulls left out. */
function valuesOf<T>(person: ProfileRow | ProfileRow[], read: (row: ProfileRow) => T | null): T[] {
  if (!Array.isArray(person)) {
    const value = read(person);
    return value === null ? [] : [value];
  }
  const values = new Set<T>();
  for (const row of person) {
    const value = read(row);
    if (value !== null) values.add(value);
  }
  return [...values];
}

/**
 * Persons per value: the top values by persons (ties by value), then
 * `$other` (persons with any value outside the top), then `$none` (persons
 * with no value at all), each only when not empty.
 */
function countValues(persons: Map<string, ProfileRow | ProfileRow[]>, read: (row: ProfileRow) => string | null): DemographicValue[] {
  const counts = new Map<string, number>();
  let none = 0;
  for (const person of persons.values()) {
    const values = valuesOf(person, read);
    if (values.length === 0) none++;
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const ranked = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  const top = ranked.slice(0, DEMOGRAPHIC_TOP_VALUES).map(([value, n]) => ({ value, persons: n }));
  if (ranked.length > DEMOGRAPHIC_TOP_VALUES) {
    const shown = new Set(top.map((t) => t.value));
    let other = 0;
    for (const person of persons.values()) if (valuesOf(person, read).some((v) => !shown.has(v))) other++;
    top.push({ value: OTHER, persons: other });
  }
  if (none > 0) top.push({ value: NONE, persons: none });
  return top;
}

/** Checks the requested attribute paths: at most five, each one a breakdown can read; repeats dropped. */
function checkedAttributes(paths: readonly string[] | undefined): string[] {
  const unique = [...new Set(paths ?? [])];
  if (unique.length > MAX_DEMOGRAPHIC_ATTRIBUTES) {
    throw new LumioError('invalid_request', `Break demographics down by at most ${MAX_DEMOGRAPHIC_ATTRIBUTES} attributes.`, {
      field: 'attributes',
    });
  }
  for (const path of unique) {
    try {
      breakdownAttribute(path);
    } catch (error) {
      if (error instanceof LumioError) {
        throw new LumioError('invalid_request', `attributes: "${path.slice(0, 80)}" is not an attribute name.`, { field: 'attributes' });
      }
      throw error;
    }
  }
  return unique;
}

/**
 * The age band of a `YYYY-MM-DD` birthday at a time, NULL when none or after
 * that day. Whole years as targeting's ageAt counts them: someone is N or
 * older on the day their birthday is at most the same month and day N years
 * earlier, so each band edge is one text comparison (ISO dates sort as text).
 */
function ageBandSql(dialect: DialectName, birthday: RawBuilder<string | null>, at: number): RawBuilder<string | null> {
  const now = new Date(at);
  const year = now.getUTCFullYear();
  const monthDay = now.toISOString().slice(4, 10);
  // Years before 1000 never occur: birthdays are from 1900 on.
  const yearsAgo = (years: number) => `${String(year - years).padStart(4, '0')}${monthDay}`;
  const b = byText(dialect, birthday);
  const edges: Array<[number, AgeBand]> = [
    [18, 'under 18'],
    [25, '18-24'],
    [35, '25-34'],
    [45, '35-44'],
    [55, '45-54'],
    [65, '55-64'],
  ];
  const whens = edges.map(([years, band]) => sql`WHEN ${b} > ${yearsAgo(years)} THEN ${band}`);
  return sql<string | null>`(CASE WHEN ${birthday} IS NULL OR ${b} > ${yearsAgo(0)} THEN NULL ${sql.join(whens, sql` `)} ELSE '65+' END)`;
}
