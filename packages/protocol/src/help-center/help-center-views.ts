// The help center as the dashboard API shows it to the team (…/workspaces/:id/help/…);
// help-article.ts holds what the widget reads.
import type { Condition } from '@lumio/targeting';
import type { PropertiesView } from '../segments/segment-views.js';

/** Who may read an article: a condition over the reader's attributes, and which stored values it may use. */
export interface ArticleAudience {
  condition: Condition;
  properties: PropertiesView;
}

/** A collection of articles. */
export interface CollectionView {
  id: string;
  name: string;
  slug: string;
  description: string;
  position: number;
  /**
   * Keeps the team's position for every viewer when the widget orders
   * collections per viewer (unpinned ones may move by the viewer's interests).
   */
  pinned: boolean;
  createdAt: number;
  updatedAt: number;
}

/** An article, draft or published. */
export interface ArticleView {
  id: string;
  collectionId: string | null;
  title: string;
  slug: string;
  /** The Markdown as written. */
  body: string;
  /** Rendered and sanitised when saved. */
  html: string;
  excerpt: string;
  position: number;
  status: 'draft' | 'published';
  /** Null: everyone may read it. */
  audience: ArticleAudience | null;
  /** Topic keys (lower-case slugs), in the order the team gave them; empty for none. */
  tags: string[];
  authorId: string | null;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

/** How many articles (drafts included) the help center holds: in all, outside any collection, and in each collection by id. */
export interface ArticleCounts {
  total: number;
  unfiled: number;
  byCollection: Record<string, number>;
}

/** `GET …/help/collections`: by position, with the article counts the collection list shows. */
export interface CollectionViewsAnswer {
  collections: CollectionView[];
  articleCounts: ArticleCounts;
}

/** An article in a list: everything but its body, which only the article itself answers. */
export type ArticleSummaryView = Omit<ArticleView, 'body' | 'html'>;

/**
 * `GET …/help/articles`: one page by position then title (`?collectionId=`,
 * or `none` for articles outside any collection, to narrow; `limit`; `cursor`
 * = the last page's `nextCursor`).
 */
export interface ArticleSummariesAnswer {
  articles: ArticleSummaryView[];
  nextCursor: string | null;
}

/** `POST …/help/articles/preview`: the body as the widget will show it, and the excerpt a save would make. */
export interface RenderedArticle {
  html: string;
  excerpt: string;
}

/** One file of an exported help center: a path like `billing/export-invoices.md` and its text. */
export interface HelpCenterFile {
  path: string;
  content: string;
}

/** `GET …/help/export`: the whole help center as Markdown files with front matter. */
export interface HelpCenterExport {
  files: HelpCenterFile[];
}

/** `POST …/help/import`: what an import created and updated. */
export interface ImportResult {
  collections: { created: number; updated: number };
  articles: { created: number; updated: number };
}

/**
 * A help center import running in the background: `POST …/help/import`
 * answers 202 with it, `GET …/help/import/:jobId` follows it. `progress`
 * counts the articles rendered so far; the import saves all or nothing, at
 * the end. A failed job carries the error a synchronous call would have
 * answered (`content_too_complex` naming the file, `invalid_request`, …).
 */
export interface HelpImportJob {
  jobId: string;
  status: 'running' | 'succeeded' | 'failed';
  progress: { rendered: number; total: number };
  /** What was created and updated, once succeeded. */
  result: ImportResult | null;
  /** Why nothing was saved, once failed. */
  error: { code: string; message: string; details?: Record<string, unknown> | undefined } | null;
  createdAt: number;
  finishedAt: number | null;
}

/** One topic of the help center: a collection's slug or an article tag (both as topic keys), and how many of each carry it. */
export interface HelpTopicView {
  topic: string;
  /** Collections whose slug is this topic (0 or 1: slugs are unique, but two may normalise alike). */
  collections: number;
  /** Articles (drafts included) tagged with it. */
  articles: number;
}

/** `GET …/help/topics`: the workspace's topics, the most used first, at most `HELP_TOPICS_LIMIT`. */
export interface HelpTopicsAnswer {
  topics: HelpTopicView[];
}
