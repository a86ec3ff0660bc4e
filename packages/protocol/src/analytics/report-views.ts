// The answers of the dashboard's analytics reports (POST …/analytics/reports/:name).

/** A series' bucket size. */
export type SeriesInterval = 'hour' | 'day' | 'week';

/** One line of a series: events and distinct persons per bucket. */
export interface SeriesLine {
  /**
   * The value as text, `$other` (values beyond the top ones), `$none` (no
   * value), or null for the one line of a series with no breakdown. A stored
   * value spelled `$other` or `$none` shows as itself.
   */
  key: string | null;
  counts: number[];
  uniques: number[];
  /** With `count: 'companies'`: distinct companies the line's people belong to (for a `company.<key>` breakdown, those with the line's value). */
  companies?: number[];
}

/** `…/series`: bucket starts and one line per value. */
export interface SeriesReport {
  interval: SeriesInterval;
  /** Every bucket start (epoch ms, UTC) from the one holding `from` up to `to`, empty buckets included. */
  buckets: number[];
  /** Without a breakdown one line (key null); with one, the top values by events, then `$other`, then `$none` (each only when not empty). */
  series: SeriesLine[];
  /** Events and distinct persons over the whole range (and distinct companies, with `count: 'companies'`). */
  totals: { count: number; uniques: number; companies?: number };
}

/** Events and distinct persons of one funnel step. */
export interface FunnelCount {
  count: number;
  uniques: number;
}

/** One announcement's funnel. */
export interface FunnelRow {
  announcementId: string;
  /** Its current title; null once deleted. */
  title: string | null;
  shown: FunnelCount;
  clicked: FunnelCount;
  dismissed: FunnelCount;
  /** Persons who were shown it and clicked it, over persons shown it; null when nobody was shown it. */
  clickRate: number | null;
  /** Persons who were shown it and dismissed it, over persons shown it; null when nobody was shown it. */
  dismissRate: number | null;
}

/** `…/funnel`: announcements by persons shown, most first. */
export interface FunnelReport {
  announcements: FunnelRow[];
}

/** One article's readers and ratings. */
export interface ArticleRow {
  articleId: string;
  /** Its current title; null once deleted. */
  title: string | null;
  /** `$article_viewed` events. */
  views: number;
  /** Distinct persons who viewed it. */
  uniques: number;
  /** Distinct persons who rated it helpful (a person who changed their mind counts on both sides). */
  helpful: number;
  unhelpful: number;
}

/** One search query (as normalised by the widget). */
export interface SearchRow {
  query: string;
  count: number;
  uniques: number;
  /** The latest search of this query in the range found nothing. */
  noResults: boolean;
}

/** A query that found nothing, counting only its searches that found nothing. */
export interface NoResultSearchRow {
  query: string;
  count: number;
  uniques: number;
  /** When it last found nothing (epoch ms). */
  lastAt: number;
}

/** `…/articles`: the help center's reading and searching. */
export interface ArticlesReport {
  /** By views, most first. */
  topArticles: ArticleRow[];
  /** By searches, most first. */
  topSearches: SearchRow[];
  /** Queries that found nothing, by such searches, most first: content to write. */
  noResultSearches: NoResultSearchRow[];
}

/** Age bands, youngest first, then persons with no (usable) birthday. */
export const AGE_BANDS = ['under 18', '18-24', '25-34', '35-44', '45-54', '55-64', '65+', '$none'] as const;

/** An age band of {@link AGE_BANDS}. */
export type AgeBand = (typeof AGE_BANDS)[number];

/** Persons with one value of an attribute. */
export interface DemographicValue {
  value: string;
  persons: number;
}

/** `…/demographics`: distinct active persons, split several ways. */
export interface DemographicsReport {
  activePersons: number;
  /** Distinct persons by the trust level of their activity (one with verified and identified days counts in both). */
  trust: { verified: number; identified: number; anonymous: number };
  /** By gender, most persons first, then `$none`. */
  gender: DemographicValue[];
  /** Every band of {@link AGE_BANDS} in order, empty ones included. */
  ageBands: Array<{ band: AgeBand; persons: number }>;
  /** Per requested attribute: the top 10 values by persons, then `$other`, then `$none` (each only when not empty). */
  attributes: Record<string, DemographicValue[]>;
  /** What the active known users are interested in (their verified interest profiles, as they are now). */
  interests: DemographicInterests;
}

/** The top interests among a report's active known users. */
export interface DemographicInterests {
  /** The level (0–1) from which a person counts as interested in a topic. */
  threshold: number;
  /** Active persons with a userId: whose interest profiles were read. */
  knownPersons: number;
  /** Up to 10 topics with at least one interested person, most interested persons first. */
  topics: DemographicInterest[];
}

/** One topic of {@link DemographicInterests}. */
export interface DemographicInterest {
  topic: string;
  /** Known persons whose level is at least the threshold. */
  persons: number;
  /** The mean level over all known persons (0 for those with no interest in the topic), 4 decimals. */
  meanLevel: number;
}

/** `…/identity-health`: identify outcomes per bucket and the failures' reasons. */
export interface IdentityHealthReport {
  interval: 'hour' | 'day';
  /** Every bucket start (epoch ms, UTC) from the one holding `from` up to `to`. */
  buckets: number[];
  verified: number[];
  identified: number[];
  failed: number[];
  /** Verified calls over all calls of the bucket; null when there were none. */
  verifiedRate: Array<number | null>;
  /** Failures over the whole range by reason, most frequent first, each with what to fix. */
  failures: Array<{ reason: string; count: number; hint: string }>;
}
