import type { Kysely } from 'kysely';
import type { AppDeps } from '../../http/app-deps.js';
import type { Database } from '../../db/schema.js';
import { PostgresArticleSearch } from './postgres-article-search.js';
import type { ArticleSearchEngine, EngineMatch, MatchQuery, WordGroup } from './search-engine.js';
import { htmlToText } from '../../content/html-to-text.js';
import { buildSnippet } from './search-snippet.js';
import {
  letterCount,
  parseQuery,
  TYPO_MIN_LENGTH,
  VOCABULARY_MAX_LENGTH,
  VOCABULARY_MIN_LENGTH,
  withinOneEdit,
  wordsOf,
} from './search-text.js';
import { SqliteArticleSearch } from './sqlite-article-search.js';
import { tagsOfArticle } from '../article-tags.js';

/** One search result: the article, its score (higher is better) and an HTML snippet with `<mark>`ed words. */
export interface ArticleSearchHit {
  articleId: string;
  score: number;
  /** Escaped text; the only markup is `<mark>…</mark>` around matched words. */
  snippet: string;
}

/** Options of {@link ArticleSearch.search}. */
export interface ArticleSearchOptions {
  limit: number;
  /** Leave drafts out (the default); false for the dashboard's own search. */
  publishedOnly?: boolean | undefined;
}

/**
 * The articles a query matches, best first, before their snippets are made
 * ({@link ArticleSearch.matches}): a caller can read what it needs of them
 * while {@link ArticleSearch.snippets} reads their text.
 */
export interface ArticleMatches {
  /** Score (higher is better) by article id, best first. */
  scores: Map<string, number>;
  /** The words to mark in snippets. */
  marked: Parameters<typeof buildSnippet>[1];
}

/** The most results one search returns, whatever the caller asks. */
export const MAX_SEARCH_RESULTS = 200;
// How many words one typed word may stand for: closest spellings first.
const MAX_TYPO_WORDS = 8;

/**
 * Full-text search over a workspace's help-center articles: ranked, title above
 * body and exact words above typos, the last word matched as a prefix while
 * the user types, one typo forgiven in words of five letters or more, with a
 * highlighted snippet per result. The index is kept in the caller's
 * transaction by {@link ArticleSearch.index} and {@link ArticleSearch.remove}.
 *
 * @example
 * const search = new ArticleSearch(deps);
 * await db.transaction().execute((trx) => search.index(trx, articleRow));
 * await search.search(workspaceId, 'pasword', { limit: 10 }); // finds "Reset your password"
 */
export class ArticleSearch {
  private readonly engine: ArticleSearchEngine;

  constructor(deps: Pick<AppDeps, 'db' | 'adapter'>) {
    this.engine = deps.adapter.name === 'postgres' ? new PostgresArticleSearch(deps.db) : new SqliteArticleSearch(deps.db);
  }

  /**
   * Indexes an article again (or for the first time) inside the caller's
   * transaction `db`. `text`: its body's text when the Markdown worker made
   * it already (saves), so that it is not made again on the event loop.
   */
  async index(db: Kysely<Database>, article: Database['articles'], text?: string): Promise<void> {
    const body = text ?? htmlToText(article.body_html);
    // Tags are words the team chose to describe the article: indexed with the title's weight (not shown in
    // snippets), so that searching a tag finds its articles. Articles indexed before tags existed had none.
    const titleWords = [...wordsOf(article.title), ...wordsOf(tagsOfArticle(article).join(' '))];
    const bodyWords = wordsOf(body);
    const vocabulary = new Set<string>();
    for (const word of [...titleWords, ...bodyWords]) {
      const n = letterCount(word);
      if (n >= VOCABULARY_MIN_LENGTH && n <= VOCABULARY_MAX_LENGTH) vocabulary.add(word);
    }
    await this.engine.index(db, {
      articleId: article.id,
      workspaceId: article.workspace_id,
      published: article.status === 'published',
      title: article.title,
      body,
      titleWords,
      bodyWords,
      vocabulary: [...vocabulary],
    });
  }

  /** Takes an article out of the index inside the caller's transaction `db`. */
  async remove(db: Kysely<Database>, workspaceId: string, articleId: string): Promise<void> {
    await this.engine.remove(db, workspaceId, articleId);
  }

  /**
   * The workspace's articles matching `query` (user input, any text), best first.
   * Results come in three tiers, each ranked by the engine (title above body):
   * articles with every word as typed (the last one also as a prefix), then
   * with every word allowing one typo, then, for several words, any of them.
   */
  async search(workspaceId: string, query: string, options: ArticleSearchOptions): Promise<ArticleSearchHit[]> {
    return this.snippets(workspaceId, await this.matches(workspaceId, query, options));
  }

  /** The first half of {@link search}: the articles matching `query`, best first, without snippets. */
  async matches(workspaceId: string, query: string, options: ArticleSearchOptions): Promise<ArticleMatches> {
    const limit = Math.max(0, Math.min(Math.floor(options.limit), MAX_SEARCH_RESULTS));
    const { words, prefix } = parseQuery(query);
    if (words.length === 0 || limit === 0) return { scores: new Map(), marked: { words: new Set(), prefix } };
    const matchOptions = { publishedOnly: options.publishedOnly ?? true };
    const found = new Map<string, number>();
    const add = (matches: EngineMatch[], tier: number) => {
      for (const m of matches) if (!found.has(m.articleId) && found.size < limit) found.set(m.articleId, tier + m.relevance);
    };
    const fetch = (groups: WordGroup[], every: boolean) =>
      this.engine.match(workspaceId, { groups, every } satisfies MatchQuery, { ...matchOptions, limit: limit + found.size });

    const exact = words.map((w) => ({ words: [w], prefix: w === prefix ? w : null }));
    add(await fetch(exact, true), 2);

    // Typos are looked up only when exact words leave room: they would rank below anyway.
    let fuzzy = exact;
    if (found.size < limit) {
      const typos = await this.typoWords(workspaceId, words);
      if (typos.size > 0) {
        fuzzy = exact.map((g) => ({ ...g, words: [...g.words, ...(typos.get(g.words[0]!) ?? [])] }));
        add(await fetch(fuzzy, true), 1);
      }
    }
    if (found.size < limit && words.length > 1) add(await fetch(fuzzy, false), 0);
    return { scores: found, marked: { words: new Set(fuzzy.flatMap((g) => g.words)), prefix } };
  }

  /** The second half of {@link search}: the hits of `matches`, in their order, with their snippets. */
  async snippets(workspaceId: string, matches: ArticleMatches): Promise<ArticleSearchHit[]> {
    const { scores, marked } = matches;
    if (scores.size === 0) return [];
    const texts = await this.engine.texts(workspaceId, [...scores.keys()]);
    return [...scores].map(([articleId, score]) => ({ articleId, score, snippet: buildSnippet(texts.get(articleId)?.body ?? '', marked) }));
  }

  // Per query word of five letters or more, the vocabulary's words one typo away.
  private async typoWords(workspaceId: string, words: string[]): Promise<Map<string, string[]>> {
    const long = words.filter((w) => letterCount(w) >= TYPO_MIN_LENGTH);
    if (long.length === 0) return new Map();
    const candidates = await this.engine.similarWords(workspaceId, long);
    const out = new Map<string, string[]>();
    for (const [word, similar] of candidates) {
      const close = similar.filter((s) => withinOneEdit(word, s)).slice(0, MAX_TYPO_WORDS);
      if (close.length > 0) out.set(word, close);
    }
    return out;
  }
}
