import { htmlToText } from '../content/html-to-text.js';
import type { Condition } from '@lumio/targeting';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';
import type { AudienceProperties } from '../targeting/session-attributes.js';

/** Who may read an article: a condition over the reader's attributes, and which stored values it may use. */
export interface ArticleAudience {
  condition: Condition;
  properties: AudienceProperties;
}

/** A collection as the dashboard API shows it. */
export interface CollectionView {
  id: string;
  name: string;
  slug: string;
  description: string;
  position: number;
  createdAt: number;
  updatedAt: number;
}

/** An article as the dashboard API shows it. */
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

/** What a slug (and a collection's folder in an export) looks like: lower-case words joined by hyphens. */
export const SLUG_PATTERN = /^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u;

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
