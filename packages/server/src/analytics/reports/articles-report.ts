import { sql } from 'kysely';
import type { ArticlesReport, ArticlesRequest } from '@lumio/protocol';
import type { AppDeps } from '../../http/app-deps.js';
import type { CompiledFilter } from './report-filter.js';
import { jsonValueText } from './attribute-value-sql.js';
import { byText, eventsWhere, reportEvents, toCount } from './report-sql.js';

/** How many rows each list of the articles report holds unless asked. */
export const DEFAULT_ARTICLES_LIMIT = 10;
/** The most rows each list of the articles report holds. */
export const MAX_ARTICLES_LIMIT = 50;

const VIEWED = '$article_viewed';
const RATED = '$article_rated';
const SEARCHED = '$article_searched';

/**
 * Reads the help center's events in two queries: articles (views from the
 * index; then the ratings of the top ones, whose props say helpful or not)
 * and searches (each search's props say how many results it found).
 */
export async function articlesReport(
  deps: Pick<AppDeps, 'db' | 'adapter'>,
  workspaceId: string,
  request: ArticlesRequest,
  filter: CompiledFilter,
): Promise<ArticlesReport> {
  const dialect = deps.adapter.name;
  const limit = Math.max(1, Math.min(request.limit ?? DEFAULT_ARTICLES_LIMIT, MAX_ARTICLES_LIMIT));
  const where = (name: string) => eventsWhere('e', workspaceId, [name], request, filter);
  const helpful = jsonValueText(dialect, sql.ref('e.props'), 'helpful');
  const results = jsonValueText(dialect, sql.ref('e.props'), 'results');
  const byQuery = byText(dialect, sql.ref('q'));
  const events = reportEvents(dialect);

  // Distinct persons as rows of (object, person) groups: hash aggregates on PostgreSQL, no sort of every event.
  // Ratings are read (from the events' props) only for the top articles by views.
  const articles = sql<{ o: string; title: string | null; views: unknown; uniques: unknown; helpful: unknown; unhelpful: unknown }>`
    WITH viewers AS (
      SELECT e.object AS o, count(*) AS n FROM ${events} WHERE ${where(VIEWED)} AND e.object IS NOT NULL GROUP BY e.object, e.person
    ),
    viewed AS MATERIALIZED (
      SELECT o, sum(n) AS views, count(*) AS uniques FROM viewers GROUP BY o
      ORDER BY 2 DESC, 3 DESC, ${byText(dialect, sql.ref('o'))} LIMIT ${limit}
    ),
    raters AS (
      SELECT e.object AS o, max(CASE WHEN ${helpful} = 'true' THEN 1 ELSE 0 END) AS helpful, max(CASE WHEN ${helpful} = 'false' THEN 1 ELSE 0 END) AS unhelpful
      FROM ${events} WHERE ${where(RATED)} AND e.object IN (SELECT o FROM viewed) GROUP BY e.object, e.person
    ),
    ratings AS (SELECT o, sum(helpful) AS helpful, sum(unhelpful) AS unhelpful FROM raters GROUP BY o)
    SELECT viewed.o, viewed.views, viewed.uniques, ratings.helpful, ratings.unhelpful, a.title
    FROM viewed
    LEFT JOIN ratings ON ratings.o = viewed.o
    LEFT JOIN articles a ON a.workspace_id = ${workspaceId} AND a.id = viewed.o
    ORDER BY viewed.views DESC, viewed.uniques DESC, ${byText(dialect, sql.ref('viewed.o'))}`.execute(deps.db);

  // Both lists come from one pass over the searches; each takes its own top rows.
  const searches = sql<{
    list: number;
    q: string;
    count: unknown;
    uniques: unknown;
    zero: unknown;
    zero_u: unknown;
    zero_last: unknown;
    last: unknown;
  }>`
    WITH searchers AS (
      SELECT e.object AS q, count(*) AS n, max(e.at) AS last,
        sum(CASE WHEN ${results} = '0' THEN 1 ELSE 0 END) AS zero, max(CASE WHEN ${results} = '0' THEN e.at END) AS zero_last
      FROM ${events} WHERE ${where(SEARCHED)} AND e.object IS NOT NULL GROUP BY e.object, e.person
    ),
    per AS MATERIALIZED (
      SELECT q, sum(n) AS count, count(*) AS uniques, max(last) AS last, sum(zero) AS zero,
        sum(CASE WHEN zero > 0 THEN 1 ELSE 0 END) AS zero_u, max(zero_last) AS zero_last
      FROM searchers GROUP BY q
    )
    SELECT * FROM (SELECT 1 AS list, per.* FROM per ORDER BY count DESC, uniques DESC, ${byQuery} LIMIT ${limit}) AS a
    UNION ALL
    SELECT * FROM (SELECT 2 AS list, per.* FROM per WHERE zero > 0 ORDER BY zero DESC, zero_u DESC, ${byQuery} LIMIT ${limit}) AS b`.execute(
    deps.db,
  );

  const [articleRows, searchRows] = await Promise.all([articles, searches]);
  const byCount = <T extends { count: number; uniques: number; query: string }>(a: T, b: T) =>
    b.count - a.count || b.uniques - a.uniques || (a.query < b.query ? -1 : a.query > b.query ? 1 : 0);
  return {
    topArticles: articleRows.rows.map((r) => ({
      articleId: r.o,
      title: r.title,
      views: toCount(r.views),
      uniques: toCount(r.uniques),
      helpful: toCount(r.helpful),
      unhelpful: toCount(r.unhelpful),
    })),
    topSearches: searchRows.rows
      .filter((r) => Number(r.list) === 1)
      .map((r) => ({
        query: r.q,
        count: toCount(r.count),
        uniques: toCount(r.uniques),
        noResults: r.zero_last !== null && toCount(r.zero_last) === toCount(r.last),
      }))
      .sort(byCount),
    noResultSearches: searchRows.rows
      .filter((r) => Number(r.list) === 2)
      .map((r) => ({ query: r.q, count: toCount(r.zero), uniques: toCount(r.zero_u), lastAt: toCount(r.zero_last) }))
      .sort(byCount),
  };
}
