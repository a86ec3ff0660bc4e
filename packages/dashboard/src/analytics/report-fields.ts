/** The reports of the analytics page, by their name in the URL, with their tab labels. */
export const REPORTS = [
  ['events', 'Events'],
  ['announcements', 'Announcements'],
  ['help', 'Help center'],
  ['audience', 'Audience'],
  ['identity', 'Identity health'],
] as const;

/** A report of {@link REPORTS}. */
export type ReportName = (typeof REPORTS)[number][0];

/** A bucket size of a report drawn over time. */
export type ReportInterval = 'hour' | 'day' | 'week';

/** Which filters a report reads: identity health has no profile to filter on. */
export interface FilterBarFields {
  event: boolean;
  breakdown: boolean;
  who: boolean;
  /**
   * The bucket sizes of a report drawn over time (never an empty list: the
   * type wants one at least), or null for a report that is not (then the
   * filter bar shows no Interval field: an empty select was all it had).
   */
  intervals: readonly [ReportInterval, ...ReportInterval[]] | null;
}

/** The filters each report reads. */
export const REPORT_FIELDS: Record<ReportName, FilterBarFields> = {
  events: { event: true, breakdown: true, who: true, intervals: ['hour', 'day', 'week'] },
  announcements: { event: false, breakdown: false, who: true, intervals: null },
  help: { event: false, breakdown: false, who: true, intervals: null },
  // The breakdown picker chooses the attribute shown beside gender and age.
  audience: { event: false, breakdown: true, who: true, intervals: null },
  identity: { event: false, breakdown: false, who: false, intervals: ['hour', 'day'] },
};

/**
 * The interval a report counts by: the one asked for when the report offers
 * it, else its first (identity health has no weeks); `day` for a report
 * drawn over no time, so a leftover `interval=hour` in a shared link neither
 * shifts its range to hours nor keeps it off the daily rollup.
 */
export function intervalOf(fields: FilterBarFields, asked: ReportInterval): ReportInterval {
  if (!fields.intervals) return 'day';
  return fields.intervals.includes(asked) ? asked : fields.intervals.includes('day') ? 'day' : fields.intervals[0];
}
