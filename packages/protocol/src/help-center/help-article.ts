// The wire shapes of the widget's help center API (/widget/v1/:widgetId/help/…):
// the server builds them (packages/server/src/help-center), the widget and the
// SDK read them. Types only: nothing here ends up in a browser bundle.

/** A collection of articles, as a widget session sees it. */
export interface HelpCollection {
  id: string;
  name: string;
  slug: string;
  description: string;
  /** Keeps the team's position for every viewer when collections are ordered per viewer. */
  pinned: boolean;
  /** Published articles of the collection this session may read. */
  articleCount: number;
}

/** An article in a list or in search results. */
export interface HelpArticleSummary {
  id: string;
  slug: string;
  title: string;
  excerpt: string;
  collectionId: string | null;
  updatedAt: number;
  /** Topic keys the team tagged it with. */
  tags: string[];
  /** Whether this session's viewer saved it. */
  saved: boolean;
  /**
   * Search results only: the matching passage as HTML-escaped text in which
   * the matched words are wrapped in `<mark>…</mark>` (no other markup).
   */
  snippet?: string;
}

/** One article to read. */
export interface HelpArticle extends HelpArticleSummary {
  /** Rendered and sanitised by the server when the article was saved. */
  html: string;
  /** This viewer's answer to "Was this helpful?", or null. */
  helpful: boolean | null;
}

/** GET help/collections. */
export interface HelpCollectionsAnswer {
  collections: HelpCollection[];
}

/** GET help/articles (?collection=…&query=…&saved=true&limit=…). */
export interface HelpArticlesAnswer {
  articles: HelpArticleSummary[];
}

/** GET help/articles/:idOrSlug. */
export interface HelpArticleAnswer {
  article: HelpArticle;
}
