import type { ArticleAudience, ArticleSummaryView, ArticleView, CollectionView } from '@lumio/protocol';
import { LumioError } from '../errors/lumio-error.js';
import { htmlToText } from '../content/html-to-text.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';
import { tagsOfArticle } from './article-tags.js';

/** How long an excerpt made from the body may be. */
export const EXCERPT_LENGTH = 200;

/**
 * A URL slug from a title: lower-case letters and digits of any script,
 * joined by single hyphens ("Reset your password!" → "reset-your-password").
 */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'article';
}

/**
 * The first words of rendered HTML as plain text, cut at a word boundary.
 * Reads only as much of the HTML as the excerpt needs (a few kilobytes
 * unless the start is nearly all markup): an export computes it for every
 * article on the event loop, and the text of a 400 kB body took 330 ms.
 */
export function excerptOf(html: string): string {
  return excerptOfText(leadingText(html));
}

/** {@link excerptOf} for text already taken out of the HTML. */
export function excerptOfText(text: string): string {
  if (text.length <= EXCERPT_LENGTH) return text;
  const cut = text.slice(0, EXCERPT_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

// The text of the start of `html`: of growing prefixes until well past an excerpt's length. A prefix cut
// inside a tag or an entity can only spoil the end of its text, which the margin keeps out of the excerpt.
function leadingText(html: string): string {
  for (let length = 4096; length < html.length; length *= 4) {
    const text = htmlToText(html.slice(0, length));
    if (text.length >= EXCERPT_LENGTH * 2) return text.slice(0, EXCERPT_LENGTH + 1);
  }
  return htmlToText(html);
}

/** The stored audience of an article, or null for everyone. */
export function audienceOfArticle(row: Pick<Database['articles'], 'audience'>): ArticleAudience | null {
  return parseJson<ArticleAudience | null>(row.audience, null);
}

/** The columns an article list reads: all but the bodies. */
export const ARTICLE_SUMMARY_COLUMNS = [
  'id',
  'collection_id',
  'title',
  'slug',
  'excerpt',
  'position',
  'status',
  'audience',
  'tags',
  'author_id',
  'created_at',
  'updated_at',
  'published_at',
] as const;

type SummaryRow = Pick<Database['articles'], (typeof ARTICLE_SUMMARY_COLUMNS)[number]>;

/** An article as a list shows it: everything but its body. */
export function articleSummaryView(row: SummaryRow): ArticleSummaryView {
  return {
    id: row.id,
    collectionId: row.collection_id,
    title: row.title,
    slug: row.slug,
    excerpt: row.excerpt,
    position: row.position,
    status: row.status as ArticleView['status'],
    audience: audienceOfArticle(row),
    tags: tagsOfArticle(row),
    authorId: row.author_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

/** The dashboard view of an article row. */
export function articleView(row: Database['articles']): ArticleView {
  return { ...articleSummaryView(row), body: row.body_markdown, html: row.body_html };
}

/** The sort key an article-list cursor carries: position, title, id (see HelpCenterService.pageArticles). */
export function articleCursor(cursor: string): [number, string, string] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 3 && Number.isInteger(key[0]) && typeof key[1] === 'string' && typeof key[2] === 'string')
      return key as [number, string, string];
  } catch {
    // Falls through to the error: a cursor is only ever one this server made.
  }
  throw new LumioError('invalid_request', 'cursor: not a cursor this list gave out.', { field: 'cursor' });
}

/** The dashboard view of a collection row. */
export function collectionView(row: Database['collections']): CollectionView {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    position: row.position,
    pinned: row.pinned === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
