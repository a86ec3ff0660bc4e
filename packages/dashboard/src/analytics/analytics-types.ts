// The analytics API's request and answer shapes, as the dashboard reads them.
// NOTE: keep in step with packages/server/src/analytics/reports/*-report.ts.

/** The filter fields every report body takes but identity health. */
export interface ReportFilterBody {
  from: number;
  to: number;
  condition?: unknown;
  segmentId?: string;
  on?: 'snapshot' | 'current';
  verifiedOnly?: boolean;
}

/** One line of a series: events and distinct persons per bucket (`key` null without a breakdown). */
export interface SeriesLine {
  key: string | null;
  counts: number[];
  uniques: number[];
}

/** `POST …/analytics/reports/series`. */
export interface SeriesReport {
  interval: 'hour' | 'day' | 'week';
  buckets: number[];
  series: SeriesLine[];
  totals: { count: number; uniques: number };
}

/** Events and distinct persons of one funnel step. */
export interface FunnelCount {
  count: number;
  uniques: number;
}

/** `POST …/analytics/reports/funnel`. */
export interface FunnelReport {
  announcements: Array<{
    announcementId: string;
    title: string | null;
    shown: FunnelCount;
    clicked: FunnelCount;
    dismissed: FunnelCount;
    clickRate: number | null;
    dismissRate: number | null;
  }>;
}

/** `POST …/analytics/reports/articles`. */
export interface ArticlesReport {
  topArticles: Array<{ articleId: string; title: string | null; views: number; uniques: number; helpful: number; unhelpful: number }>;
  topSearches: Array<{ query: string; count: number; uniques: number; noResults: boolean }>;
  noResultSearches: Array<{ query: string; count: number; uniques: number; lastAt: number }>;
}

/** Persons with one value of an attribute. */
export interface DemographicValue {
  value: string;
  persons: number;
}

/** `POST …/analytics/reports/demographics`. */
export interface DemographicsReport {
  activePersons: number;
  trust: { verified: number; identified: number; anonymous: number };
  gender: DemographicValue[];
  ageBands: Array<{ band: string; persons: number }>;
  attributes: Record<string, DemographicValue[]>;
}

/** `POST …/analytics/reports/identity-health`. */
export interface IdentityHealthReport {
  interval: 'hour' | 'day';
  buckets: number[];
  verified: number[];
  identified: number[];
  failed: number[];
  verifiedRate: Array<number | null>;
  failures: Array<{ reason: string; count: number; hint: string }>;
}

/** `GET …/analytics/properties`: one profile key of the catalogue. */
export interface PropertyCatalogueEntry {
  key: string;
  kind: 'trait' | 'property';
  types: string[];
  firstSeenAt: number;
  lastSeenAt: number;
  distinctEstimate: number;
  highCardinality: boolean;
  flags: string[];
}

/** `GET …/segments`: a saved segment (the fields the picker reads). */
export interface SegmentSummary {
  id: string;
  name: string;
  summary: string;
}
