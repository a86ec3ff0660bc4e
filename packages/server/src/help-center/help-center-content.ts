import type { ArticleAudience, ArticleView, CollectionView } from '@lumio/protocol';
import { htmlToText } from '../content/html-to-text.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';

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

/** The first words of rendered HTML as plain text, cut at a word boundary. */
export function excerptOf(html: string): string {
  const text = htmlToText(html);
  if (text.length <= EXCERPT_LENGTH) return text;
  const cut = text.slice(0, EXCERPT_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The stored audience of an article, or null for everyone. */
export function audienceOfArticle(row: Pick<Database['articles'], 'audience'>): ArticleAudience | null {
  return parseJson<ArticleAudience | null>(row.audience, null);
}

/** The dashboard view of an article row. */
export function articleView(row: Database['articles']): ArticleView {
  return {
    id: row.id,
    collectionId: row.collection_id,
    title: row.title,
    slug: row.slug,
    body: row.body_markdown,
    html: row.body_html,
    excerpt: row.excerpt,
    position: row.position,
    status: row.status as ArticleView['status'],
    audience: audienceOfArticle(row),
    authorId: row.author_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

/** The dashboard view of a collection row. */
export function collectionView(row: Database['collections']): CollectionView {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    position: row.position,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
