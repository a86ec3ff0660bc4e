// Help relevance on the wire: "Suggested for you" (widget) and "why this ranks here" (dashboard).
import type { HelpArticleSummary } from './help-article.js';

/** How many articles GET help/suggested returns: `limit` defaults to 3, at most 10. */
export const SUGGESTED_LIMIT = { default: 3, max: 10 } as const;

/** GET /widget/v1/:widgetId/help/suggested (?limit=…): "Suggested for you", best first. */
export interface HelpSuggestedAnswer {
  articles: HelpArticleSummary[];
}

/** A signal of the relevance model (docs/help-center.md, "Relevance"). */
export type RelevanceSignalName = 'text' | 'interest' | 'audience' | 'peers' | 'team';

/** One signal's part of an article's score for a user. */
export interface RelevanceSignalView {
  signal: RelevanceSignalName;
  /** The model's weight of this signal. */
  weight: number;
  /** The signal's value for this article and user, 0–1. */
  value: number;
  /** weight · value: what it adds to the score. */
  contribution: number;
  /** In words, e.g. `interest in collection "billing"`, `7 people with plan = pro found it helpful`. */
  detail: string;
}

/**
 * GET /api/v1/workspaces/:workspaceId/help/articles/:articleId/relevance?userId=…[&query=…]:
 * why the article ranks where it does for that user (their verified partition).
 * `rank` is its 1-based place among the `of` articles the user would see (search
 * results for the query, or its collection's list), or null when the user would
 * not see it there (a draft, an audience they do not match, no match of the query).
 * Signals other than `text` and `team` are absent when `personalised` is false.
 */
export interface ArticleRelevanceAnswer {
  articleId: string;
  userId: string;
  personalised: boolean;
  rank: number | null;
  of: number;
  score: number;
  signals: RelevanceSignalView[];
}
