// The bodies of the dashboard's analytics reports (POST …/analytics/reports/:name);
// the server checks them with its own schemas (analytics-routes.ts).
import type { SeriesInterval } from './report-views.js';

/**
 * Who and when a report counts: a time range, optionally a targeting
 * condition and/or a saved segment evaluated on the profile as of each event
 * (`snapshot`) or on users' profiles now (`current`), on all stored values or
 * only trusted ones, and verified sessions only.
 */
export interface ReportFilter {
  /** Start, epoch ms, inclusive. */
  from: number;
  /** End, epoch ms, exclusive. */
  to: number;
  condition?: unknown;
  segmentId?: string | undefined;
  /** Where properties are read: the snapshot taken with each event (default) or the user's current profile. */
  on?: 'snapshot' | 'current' | undefined;
  /** Which stored values a condition sees (default `all`). */
  properties?: 'all' | 'trusted' | undefined;
  verifiedOnly?: boolean | undefined;
  widgetId?: string | undefined;
}

/** `…/series`: one event's count over time, optionally one series per value of an attribute. */
export interface SeriesRequest extends ReportFilter {
  /** The event name: a built-in (`$widget_opened`) or a custom one. */
  event: string;
  interval: SeriesInterval;
  /** An attribute to split by: `plan`, `gender`, `trust`, `userId`, `company.plan` (each value of the person's companies), … */
  breakdown?: string | undefined;
  /** `companies`: each line (and the totals) also counts distinct companies, through the people's memberships now. */
  count?: 'people' | 'companies' | undefined;
  /** How many values a breakdown shows by name (default 5, at most 20). */
  limit?: number | undefined;
}

/** `…/funnel`: shown → clicked / dismissed for announcements, one or all. */
export interface FunnelRequest extends ReportFilter {
  /** One announcement; all of them (that have events in the range) when absent. */
  announcementId?: string | undefined;
}

/** `…/articles`: the help center's most read articles and most frequent searches. */
export interface ArticlesRequest extends ReportFilter {
  /** Rows per list (default 10, at most 50). */
  limit?: number | undefined;
}

/**
 * `…/demographics`: who was active in a range. The filter fields are those of
 * every report (`properties: 'trusted'` makes the breakdowns count trusted
 * values only, as it does for conditions); `attributes` adds breakdowns.
 */
export interface DemographicsRequest extends ReportFilter {
  /** Up to 5 low-cardinality attribute paths to break down by, e.g. `['plan']`. */
  attributes?: string[] | undefined;
}

/** `…/identity-health`: how identify calls went over a range, per hour or day, workspace-wide or for one widget (no profile to filter on). */
export interface IdentityHealthRequest {
  /** Start, epoch ms, inclusive. */
  from: number;
  /** End, epoch ms, exclusive. */
  to: number;
  interval: 'hour' | 'day';
  widgetId?: string | undefined;
}
