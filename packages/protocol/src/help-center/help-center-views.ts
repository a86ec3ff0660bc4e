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
  authorId: string | null;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

/** `GET …/help/collections`: by position. */
export interface CollectionViewsAnswer {
  collections: CollectionView[];
}

/** `GET …/help/articles` (`?collectionId=` to narrow). */
export interface ArticleViewsAnswer {
  articles: ArticleView[];
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
