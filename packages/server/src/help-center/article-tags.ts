import { ARTICLE_TAG_LIMITS } from '@lumio/protocol';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import { topicKey } from '../interests/interest-math.js';

/**
 * An article's tags as stored: each raw tag normalised to its topic key (so a
 * tag "Billing" and a collection "billing" are one topic for interest
 * profiles), duplicates dropped, the team's order kept. A tag that normalises
 * to nothing is refused as `invalid_tag` naming `tags.<index>`, never dropped
 * silently; more than {@link ARTICLE_TAG_LIMITS.perArticle} raw tags are refused.
 * The protocol's body schemas bound the input before this runs; front matter
 * imports come here straight from YAML, so the bounds are checked again.
 *
 * @example normaliseTags(['Billing', ' billing ', 'Invoices & tax']); // ['billing', 'invoices-tax']
 */
export function normaliseTags(raw: readonly unknown[] | null | undefined): string[] {
  if (raw === null || raw === undefined) return [];
  if (raw.length > ARTICLE_TAG_LIMITS.perArticle)
    throw new LumioError('invalid_request', `tags: at most ${ARTICLE_TAG_LIMITS.perArticle} tags per article.`, { field: 'tags' });
  const tags: string[] = [];
  raw.forEach((tag, i) => {
    const field = `tags.${i}`;
    if (typeof tag !== 'string' || tag.length > ARTICLE_TAG_LIMITS.inputLength)
      throw new LumioError('invalid_request', `${field}: a tag is a string of at most ${ARTICLE_TAG_LIMITS.inputLength} characters.`, {
        field,
      });
    const key = topicKey(tag);
    if (key === null)
      throw new LumioError(
        'invalid_tag',
        `${field}: "${tag.slice(0, 40)}" has no letter a-z or digit to make a topic of; tags are lower-case words like "billing".`,
        { field },
      );
    if (!tags.includes(key)) tags.push(key);
  });
  return tags;
}

/** The stored tags of an article (an empty list for none). */
export function tagsOfArticle(row: Pick<Database['articles'], 'tags'>): string[] {
  const tags = parseJson<unknown>(row.tags, null);
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Tags as the `articles.tags` column holds them, given the dialect's JSON
 * encoder: SQL null for none (not JSON `null` or `[]`), so "no tags" has one
 * form for anything that reads the column in SQL.
 */
export function storedTags(tags: readonly string[], json: (value: unknown) => unknown): unknown {
  return tags.length === 0 ? null : json(tags);
}

/**
 * A filter on `articles` rows: tagged with `tag` (a topic key). Not indexed:
 * it narrows one workspace's article list, which the list pages anyway.
 */
export function taggedWith(adapter: Pick<DialectAdapter, 'name'>, tag: string): RawBuilder<SqlBool> {
  return adapter.name === 'postgres'
    ? sql<SqlBool>`articles.tags @> ${JSON.stringify([tag])}::jsonb`
    : sql<SqlBool>`exists (select 1 from json_each(articles.tags) where json_each.value = ${tag})`;
}
