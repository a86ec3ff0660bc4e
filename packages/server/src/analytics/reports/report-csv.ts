import type { ArticlesReport, DemographicsReport, FunnelReport, IdentityHealthReport, SeriesReport } from '@lumio/protocol';

/** One CSV cell: text, a number, a boolean (`true`/`false`), or empty. */
export type CsvCell = string | number | boolean | null | undefined;

// Text a spreadsheet would run as a formula (OWASP's list: = + - @, and tab and carriage return).
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A CSV document (RFC 4180: CRLF line ends, fields with a comma, quote or
 * line break quoted, quotes doubled) from a header and rows. Text that a
 * spreadsheet would take for a formula gets a leading `'`, so an exported
 * search query or property value cannot run there; numbers are written as
 * they are.
 *
 * @example toCsv(['query', 'count'], [['=1+1', 3]]) // 'query,count\r\n\'=1+1,3\r\n'
 */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const lines = [columns.map(cell), ...rows.map((row) => row.map(cell))].map((cells) => cells.join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** An epoch-ms time as ISO 8601 UTC (`2026-11-16T00:00:00.000Z`). */
function iso(at: number | null | undefined): string | null {
  if (at === null || at === undefined) return null;
  const date = new Date(at);
  // Beyond Date's range (±8.64e15 ms) there is no ISO form: the number itself.
  return Number.isNaN(date.getTime()) ? String(at) : date.toISOString();
}

/**
 * A series, one row per bucket and line: `bucket,count,uniques` without a
 * breakdown; `bucket,<attribute>,count,uniques` with one.
 */
export function seriesCsv(report: SeriesReport, breakdown?: string): string {
  // With `count: 'companies'` every line carries distinct companies: one more column.
  const companies = report.totals.companies !== undefined;
  const rows: CsvCell[][] = [];
  report.buckets.forEach((bucket, i) => {
    for (const line of report.series) {
      const counts = [line.counts[i], line.uniques[i], ...(companies ? [line.companies?.[i] ?? 0] : [])];
      rows.push(breakdown === undefined ? [iso(bucket), ...counts] : [iso(bucket), line.key, ...counts]);
    }
  });
  const measures = ['count', 'uniques', ...(companies ? ['companies'] : [])];
  return toCsv(breakdown === undefined ? ['bucket', ...measures] : ['bucket', breakdown, ...measures], rows);
}

/** The funnel, one row per announcement; rates as fractions (empty when nobody was shown it). */
export function funnelCsv(report: FunnelReport): string {
  return toCsv(
    [
      'announcementId',
      'title',
      'shown',
      'shownUniques',
      'clicked',
      'clickedUniques',
      'dismissed',
      'dismissedUniques',
      'clickRate',
      'dismissRate',
    ],
    report.announcements.map((a) => [
      a.announcementId,
      a.title,
      a.shown.count,
      a.shown.uniques,
      a.clicked.count,
      a.clicked.uniques,
      a.dismissed.count,
      a.dismissed.uniques,
      a.clickRate,
      a.dismissRate,
    ]),
  );
}

/**
 * The articles report as one table, its three lists told apart by the
 * `section` column (`topArticles`, `topSearches`, `noResultSearches`); a
 * column a section has no value for is empty.
 */
export function articlesCsv(report: ArticlesReport): string {
  return toCsv(
    ['section', 'articleId', 'title', 'query', 'count', 'uniques', 'helpful', 'unhelpful', 'noResults', 'lastAt'],
    [
      ...report.topArticles.map((a) => ['topArticles', a.articleId, a.title, null, a.views, a.uniques, a.helpful, a.unhelpful, null, null]),
      ...report.topSearches.map((s) => ['topSearches', null, null, s.query, s.count, s.uniques, null, null, s.noResults, null]),
      ...report.noResultSearches.map((s) => ['noResultSearches', null, null, s.query, s.count, s.uniques, null, null, true, iso(s.lastAt)]),
    ],
  );
}

/**
 * Demographics as `dimension,value,persons,meanLevel` rows: `activePersons`
 * (no value), `trust`, `gender`, `age`, then each attribute by its name, then
 * `interestsKnownPersons` (no value) and an `interests` row per top topic with
 * its mean level (the only rows with one).
 */
export function demographicsCsv(report: DemographicsReport): string {
  const rows: CsvCell[][] = [['activePersons', null, report.activePersons, null]];
  for (const [trust, persons] of Object.entries(report.trust)) rows.push(['trust', trust, persons, null]);
  for (const g of report.gender) rows.push(['gender', g.value, g.persons, null]);
  for (const a of report.ageBands) rows.push(['age', a.band, a.persons, null]);
  for (const [attribute, values] of Object.entries(report.attributes))
    for (const v of values) rows.push([attribute, v.value, v.persons, null]);
  rows.push(['interestsKnownPersons', null, report.interests.knownPersons, null]);
  for (const topic of report.interests.topics) rows.push(['interests', topic.topic, topic.persons, topic.meanLevel]);
  return toCsv(['dimension', 'value', 'persons', 'meanLevel'], rows);
}

/**
 * Identity health as one table: a `buckets` row per bucket (outcome counts
 * and the verified rate), then a `failures` row per reason with its count and
 * what to fix.
 */
export function identityHealthCsv(report: IdentityHealthReport): string {
  const rows: CsvCell[][] = report.buckets.map((bucket, i) => [
    'buckets',
    iso(bucket),
    report.verified[i],
    report.identified[i],
    report.failed[i],
    report.verifiedRate[i],
    null,
    null,
    null,
  ]);
  for (const f of report.failures) rows.push(['failures', null, null, null, null, null, f.reason, f.count, f.hint]);
  return toCsv(['section', 'bucket', 'verified', 'identified', 'failed', 'verifiedRate', 'reason', 'count', 'hint'], rows);
}

/** The download name of a report: `lumio-<report>-<first day>-<last day>.csv` (UTC dates; `to` is exclusive). */
export function csvFileName(report: string, from: number, to: number): string {
  const day = (at: number) => iso(at)!.slice(0, 10);
  return `lumio-${report}-${day(from)}-${day(Math.max(from, to - 1))}.csv`;
}
