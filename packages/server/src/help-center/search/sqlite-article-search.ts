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
import { letterCount } from './search-text.js';

// NOTE: the tables are created by db/migrations/0005-article-search.ts:
// article_search_docs (id, article_id, workspace_id, published, title, body),
// article_search (FTS5 over the words of title and body, rowid = docs id),
// article_search_terms (id, workspace_id, term) and article_search_trigrams
// (FTS5 trigram index over '  ' || term || ' ', rowid = terms id).

// bm25 column weights: a word in the title counts ten times one in the body.
const TITLE_WEIGHT = 10;
// How many vocabulary words sharing trigrams are checked for each query word.
const SIMILAR_CANDIDATES = 300;

/** Full-text search on SQLite: FTS5 word index beside an FTS5 trigram index of the vocabulary. */
export class SqliteArticleSearch implements ArticleSearchEngine {
  constructor(private readonly db: Kysely<Database>) {}

  async index(db: Kysely<Database>, article: IndexedArticle): Promise<void> {
    const existing = await sql<{ id: number }>`select id from article_search_docs where article_id = ${article.articleId}`.execute(db);
    let id = existing.rows[0]?.id;
    if (id === undefined) {
      const inserted = await sql<{ id: number }>`insert into article_search_docs (article_id, workspace_id, published, title, body)
        values (${article.articleId}, ${article.workspaceId}, ${article.published ? 1 : 0}, ${article.title}, ${article.body})
        returning id`.execute(db);
      id = inserted.rows[0]!.id;
    } else {
      await sql`update article_search_docs
        set workspace_id = ${article.workspaceId}, published = ${article.published ? 1 : 0}, title = ${article.title}, body = ${article.body}
        where id = ${id}`.execute(db);
      await sql`delete from article_search where rowid = ${id}`.execute(db);
    }
    await sql`insert into article_search (rowid, title, body)
      values (${id}, ${article.titleWords.join(' ')}, ${article.bodyWords.join(' ')})`.execute(db);

    // New words only: RETURNING gives the rows the conflict clause did not skip.
    // The WHERE true tells SQLite's parser the ON CONFLICT belongs to the INSERT.
    const added = await sql<{ id: number; term: string }>`insert into article_search_terms (workspace_id, term)
      select ${article.workspaceId}, value from json_each(${JSON.stringify(article.vocabulary)}) where true
      on conflict do nothing returning id, term`.execute(db);
    if (added.rows.length > 0) {
      await sql`insert into article_search_trigrams (rowid, term)
        select json_extract(value, '$[0]'), '  ' || json_extract(value, '$[1]') || ' '
        from json_each(${JSON.stringify(added.rows.map((r) => [r.id, r.term]))})`.execute(db);
    }
  }

  async remove(db: Kysely<Database>, workspaceId: string, articleId: string): Promise<void> {
    // A trigger removes the word index row with it.
    await sql`delete from article_search_docs where workspace_id = ${workspaceId} and article_id = ${articleId}`.execute(db);
  }

  async match(workspaceId: string, query: MatchQuery, options: { limit: number; publishedOnly: boolean }): Promise<EngineMatch[]> {
    const expression = query.groups.map(groupExpression).join(query.every ? ' AND ' : ' OR ');
    const published = options.publishedOnly ? sql`and d.published = 1` : sql``;
    const { rows } = await sql<{ article_id: string; rank: number }>`
      select d.article_id, bm25(article_search, ${TITLE_WEIGHT}, 1.0) as rank
      from article_search join article_search_docs d on d.id = article_search.rowid
      where article_search match ${expression} and d.workspace_id = ${workspaceId} ${published}
      order by rank limit ${options.limit}`.execute(this.db);
    // bm25() is negative, lower is better: map it into [0, 1), higher is better.
    return rows.map((r) => ({ articleId: r.article_id, relevance: -r.rank / (1 - r.rank) }));
  }

  async similarWords(workspaceId: string, words: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const word of words) {
      const padded = `  ${word} `;
      const trigrams = new Set<string>();
      const chars = [...padded];
      for (let i = 0; i + 3 <= chars.length; i++) trigrams.add(chars.slice(i, i + 3).join(''));
      // A trigram is a three-character FTS5 string; quotes inside are doubled (there are none: words are letters and digits).
      const expression = [...trigrams].map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
      const n = letterCount(word);
      const { rows } = await sql<{ term: string }>`
        select t.term from article_search_trigrams g join article_search_terms t on t.id = g.rowid
        where article_search_trigrams match ${expression} and t.workspace_id = ${workspaceId}
          and length(t.term) between ${n - 1} and ${n + 1}
        order by g.rank limit ${SIMILAR_CANDIDATES}`.execute(this.db);
      out.set(
        word,
        rows.map((r) => r.term),
      );
    }
    return out;
  }

  async texts(workspaceId: string, articleIds: string[]): Promise<Map<string, { title: string; body: string }>> {
    if (articleIds.length === 0) return new Map();
    // A list of parameters, not json_each: with json_each the planner may scan every article's text.
    const { rows } = await sql<{ article_id: string; title: string; body: string }>`
      select article_id, title, body from article_search_docs
      where workspace_id = ${workspaceId} and article_id in (${sql.join(articleIds)})`.execute(this.db);
    return new Map(rows.map((r) => [r.article_id, { title: r.title, body: r.body }]));
  }
}

// One word's alternatives as an FTS5 expression: ("password" OR "passwords" OR "passw" *).
function groupExpression(group: WordGroup): string {
  const parts = group.words.map((w) => quoteWord(w, '"'));
  if (group.prefix !== null) parts.push(`${quoteWord(group.prefix, '"')} *`);
  return `(${parts.join(' OR ')})`;
}
