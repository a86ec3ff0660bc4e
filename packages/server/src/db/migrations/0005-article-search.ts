import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';
import type { Database } from '../schema.js';
import { ArticleSearch } from '../../help-center/search/article-search.js';
import { pgTrgmSchema } from '../../help-center/search/postgres-article-search.js';

// NOTE: src/help-center/search/sqlite-article-search.ts and postgres-article-search.ts
// read and write these tables; a change here is a change there.

/** Help-center search: a word index and a trigram index of the vocabulary, filled with the existing articles. */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  if (adapter.name === 'postgres') await createPostgresTables(db);
  else await createSqliteTables(db);

  const search = new ArticleSearch({ db: db as Kysely<Database>, adapter });
  const articles = await (db as Kysely<Database>).selectFrom('articles').selectAll().execute();
  for (const article of articles) await search.index(db as Kysely<Database>, article);
}

async function createSqliteTables(db: Kysely<unknown>): Promise<void> {
  // AUTOINCREMENT: an id is never reused, so a stale index row can never stand for another article.
  await sql`create table article_search_docs (
    id integer primary key autoincrement,
    article_id text not null unique references articles (id) on delete cascade,
    workspace_id text not null,
    published integer not null,
    title text not null,
    body text not null
  )`.execute(db);
  // No index on workspace_id: rows are always reached by id or article_id (SQLite would pick a
  // workspace index to read snippets' texts, and scan every article of the workspace).
  // Contentless (the text is in article_search_docs), so deletable by rowid (contentless_delete, SQLite 3.43).
  // Words arrive folded and split by search-text.ts; prefix indexes make "pa", "pas" as fast as whole words.
  await sql`create virtual table article_search using fts5 (
    title, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
  )`.execute(db);
  // Also when an article goes with its workspace (cascade).
  await sql`create trigger article_search_docs_delete after delete on article_search_docs begin
    delete from article_search where rowid = old.id;
  end`.execute(db);

  await sql`create table article_search_terms (
    id integer primary key autoincrement,
    workspace_id text not null references workspaces (id) on delete cascade,
    term text not null,
    unique (workspace_id, term)
  )`.execute(db);
  // Each term is stored as '  ' || term || ' ', padded like pg_trgm's trigrams, so that
  // a five-letter word keeps two trigrams in common with any word one edit away.
  await sql`create virtual table article_search_trigrams using fts5 (
    term, content = '', contentless_delete = 1, tokenize = 'trigram', detail = 'none'
  )`.execute(db);
  await sql`create trigger article_search_terms_delete after delete on article_search_terms begin
    delete from article_search_trigrams where rowid = old.id;
  end`.execute(db);
}

async function createPostgresTables(db: Kysely<unknown>): Promise<void> {
  const schema = await ensurePgTrgm(db);
  await sql`create table article_search (
    article_id text primary key references articles (id) on delete cascade,
    workspace_id text not null,
    published boolean not null,
    title text not null,
    body text not null,
    document tsvector not null
  ) with (toast_tuple_target = 8160)`.execute(db);
  // Ranking reads the tsvector of every matching article: kept in the row (compressed) rather than
  // in TOAST chunks it is read 2–3 times faster, while the texts, read only for the snippets of a
  // page of results, make way for it. (10,000 articles of ~800 words: 4 ms instead of 10 to rank a
  // word found in 1,600 of them.)
  await sql`alter table article_search alter column document set storage main`.execute(db);
  await sql`alter table article_search alter column title set storage external`.execute(db);
  await sql`alter table article_search alter column body set storage external`.execute(db);
  await sql`create index article_search_document on article_search using gin (document)`.execute(db);
  await sql`create index article_search_workspace on article_search (workspace_id)`.execute(db);
  await sql`create table article_search_terms (
    workspace_id text not null references workspaces (id) on delete cascade,
    term text not null,
    primary key (workspace_id, term)
  )`.execute(db);
  // Qualified: pg_trgm is created once per database, and its schema need not be on this search_path.
  await sql`create index article_search_terms_trigram on article_search_terms using gin (term ${sql.id(schema)}.gin_trgm_ops)`.execute(db);
}

// pg_trgm belongs to the database, not to a schema: create it (in public) unless it
// exists, and say plainly what to do when this user may not.
async function ensurePgTrgm(db: Kysely<unknown>): Promise<string> {
  const existing = await pgTrgmSchema(db);
  if (existing !== undefined) return existing;
  // A savepoint, as another migration (another schema of the same database) may create it at the same time.
  await sql`savepoint lumio_pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    await sql`release savepoint lumio_pg_trgm`.execute(db);
  } catch (error) {
    await sql`rollback to savepoint lumio_pg_trgm`.execute(db);
    const created = await pgTrgmSchema(db);
    if (created !== undefined) return created;
    throw new Error(
      `Search needs the PostgreSQL extension pg_trgm, and this database user may not create it (${(error as Error).message}). ` +
        'Run "create extension pg_trgm" as the database owner or a superuser (it is a trusted extension since PostgreSQL 13), then start Lumio again.',
    );
  }
  const created = await pgTrgmSchema(db);
  if (created === undefined) throw new Error('pg_trgm was created but cannot be found in pg_extension.');
  return created;
}
