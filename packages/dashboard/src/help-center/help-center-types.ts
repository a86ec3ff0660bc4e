// The help center's shapes as the dashboard API answers them. NOTE: keep in
// step with packages/server/src/help-center/help-center-content.ts.

/** Who may read an article: a targeting condition and which stored values it may use. */
export interface ArticleAudience {
  condition: unknown;
  properties: 'all' | 'trusted';
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
  /** Rendered and sanitised by the server when saved. */
  html: string;
  excerpt: string;
  position: number;
  status: 'draft' | 'published';
  audience: ArticleAudience | null;
  authorId: string | null;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

/** A member of the workspace (articles' authors). */
export interface MemberView {
  accountId: string;
  email: string;
  name: string | null;
}

/** One Markdown file of an import or export. */
export interface HelpCenterFile {
  path: string;
  content: string;
}

/** What an import created and updated. */
export interface ImportResult {
  collections: { created: number; updated: number };
  articles: { created: number; updated: number };
}
