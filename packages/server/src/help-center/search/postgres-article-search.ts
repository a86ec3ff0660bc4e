import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  quoteWord,
  type ArticleSearchEngine,
  type EngineMatch,
  type IndexedArticle,
  type MatchQuery,
  type WordGroup,
} from './search-engine.js';

// NOTE: the tables are created by db/migrations/0005-article-search.ts:
// article_search (article_id, workspace_id, published, title, body, document
// tsvector with the title's words weighted A and the body's B, GIN index) and
// article_search_terms (workspace_id, term) with a GIN pg_trgm index on term.

// ts_rank weights for {D, C, B, A}: a title word (A) outweighs any number of body words (B),
// as ts_rank adds a lexeme's occurrences with falling weights (w/1², w/2², …, less than 1.65·w).
const WEIGHTS = '{0, 0, 0.1, 1}';
// pg_trgm similarity of two words of five letters or more one edit apart is at least 0.2 (two
// neighbours swapped in a five-letter word: 2 shared trigrams of 10); a little under, for rounding.
const SIMILARITY_THRESHOLD = '0.19';
const SIMILAR_CANDIDATES = 300;

/** The schema pg_trgm lives in: one per database, and not necessarily on this connection's search_path. */
export async function pgTrgmSchema<DB>(db: Kysely<DB>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e
    join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  return rows[0]?.schema;
}

/** Full-text search on PostgreSQL: a weighted tsvector with a GIN index, and pg_trgm over the vocabulary. */
export class PostgresArticleSearch implements ArticleSearchEngine {
  private trgmSchema: Promise<string> | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  async index(db: Kysely<Database>, article: IndexedArticle): Promise<void> {
    await sql`insert into article_search (article_id, workspace_id, published, title, body, document)
      values (${article.articleId}, ${article.workspaceId}, ${article.published}, ${article.title}, ${article.body},
        setweight(to_tsvector('simple', ${article.titleWords.join(' ')}), 'A') || setweight(to_tsvector('simple', ${article.bodyWords.join(' ')}), 'B'))
      on conflict (article_id) do update set workspace_id = excluded.workspace_id, published = excluded.published,
        title = excluded.title, body = excluded.body, document = excluded.document`.execute(db);
    await sql`insert into article_search_terms (workspace_id, term)
      select ${article.workspaceId}, unnest(${article.vocabulary}::text[]) on conflict do nothing`.execute(db);
  }

  async remove(db: Kysely<Database>, workspaceId: string, articleId: string): Promise<void> {
    await sql`delete from article_search where workspace_id = ${workspaceId} and article_id = ${articleId}`.execute(db);
  }

  async match(workspaceId: string, query: MatchQuery, options: { limit: number; publishedOnly: boolean }): Promise<EngineMatch[]> {
    const groups = query.groups.map(groupExpression);
    // Ranked on any of the words even when all must match: ts_rank's AND ranking scores proximity, not weights.
    const filter = groups.join(query.every ? ' & ' : ' | ');
    const ranking = groups.join(' | ');
    const published = options.publishedOnly ? sql`and published` : sql``;
    const { rows } = await sql<{ article_id: string; rank: number }>`
      select article_id, ts_rank(${WEIGHTS}::float4[], document, to_tsquery('simple', ${ranking})) as rank
      from article_search
      where workspace_id = ${workspaceId} and document @@ to_tsquery('simple', ${filter}) ${published}
      order by rank desc, article_id limit ${options.limit}`.execute(this.db);
    return rows.map((r) => ({ articleId: r.article_id, relevance: r.rank / (1 + r.rank) }));
  }

  async similarWords(workspaceId: string, words: string[]): Promise<Map<string, string[]>> {
    const schema = sql.id(await this.pgTrgm());
    // The % operator's threshold is a setting: set for this transaction only, as the pool shares connections.
    const rows = await this.db.transaction().execute(async (trx) => {
      await sql`select set_config('pg_trgm.similarity_threshold', ${SIMILARITY_THRESHOLD}, true)`.execute(trx);
      const result = await sql<{ word: string; term: string }>`
        select q.word, t.term from unnest(${words}::text[]) as q(word)
        cross join lateral (
          select term from article_search_terms
          where workspace_id = ${workspaceId} and term operator(${schema}.%) q.word
            and length(term) between length(q.word) - 1 and length(q.word) + 1
          order by ${schema}.similarity(term, q.word) desc limit ${SIMILAR_CANDIDATES}
        ) t`.execute(trx);
      return result.rows;
    });
    const out = new Map<string, string[]>(words.map((w) => [w, []]));
    for (const r of rows) out.get(r.word)?.push(r.term);
    return out;
  }

  async texts(workspaceId: string, articleIds: string[]): Promise<Map<string, { title: string; body: string }>> {
    const { rows } = await sql<{ article_id: string; title: string; body: string }>`
      select article_id, title, body from article_search
      where workspace_id = ${workspaceId} and article_id = any(${articleIds}::text[])`.execute(this.db);
    return new Map(rows.map((r) => [r.article_id, { title: r.title, body: r.body }]));
  }

  private pgTrgm(): Promise<string> {
    this.trgmSchema ??= pgTrgmSchema(this.db).then((schema) => {
      if (schema === undefined) throw new Error('The pg_trgm extension is missing: run the migrations (lumio migrate).');
      return schema;
    });
    // Asked again next time rather than failing every search after one lost connection.
    this.trgmSchema.catch(() => (this.trgmSchema = undefined));
    return this.trgmSchema;
  }
}

// One word's alternatives as a tsquery: ('password' | 'passwords' | 'passw':*).
function groupExpression(group: WordGroup): string {
  const parts = group.words.map((w) => quoteWord(w, "'"));
  if (group.prefix !== null) parts.push(`${quoteWord(group.prefix, "'")}:*`);
  return `(${parts.join(' | ')})`;
}
