import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Alternatives for one word of a query: a document matches with any of `words`, or any word starting with `prefix`. */
export interface WordGroup {
  words: string[];
  prefix: string | null;
}

/** What to match: every group (all the query's words), or any of them. */
export interface MatchQuery {
  groups: WordGroup[];
  every: boolean;
}

/** An article as the index receives it: plain text, and the words made from it by `wordsOf`. */
export interface IndexedArticle {
  articleId: string;
  workspaceId: string;
  published: boolean;
  title: string;
  body: string;
  titleWords: string[];
  bodyWords: string[];
  /** Distinct words long enough to be found by a typo, for the trigram index. */
  vocabulary: string[];
}

/** A matching article and how well it matches, in [0, 1), higher is better. */
export interface EngineMatch {
  articleId: string;
  relevance: number;
}

/**
 * What article-search.ts needs of a database engine: a word index ranking
 * title above body, and a trigram index over the vocabulary to find words one
 * typo away (sqlite-article-search.ts, postgres-article-search.ts).
 */
export interface ArticleSearchEngine {
  index(db: Kysely<Database>, article: IndexedArticle): Promise<void>;
  remove(db: Kysely<Database>, workspaceId: string, articleId: string): Promise<void>;
  /** The best matches of the workspace, best first. */
  match(workspaceId: string, query: MatchQuery, options: { limit: number; publishedOnly: boolean }): Promise<EngineMatch[]>;
  /** Per word, words of the workspace's vocabulary sharing trigrams with it and within one letter of its length (a superset of the one-typo words). */
  similarWords(workspaceId: string, words: string[]): Promise<Map<string, string[]>>;
  /** The indexed plain text of some articles of the workspace. */
  texts(workspaceId: string, articleIds: string[]): Promise<Map<string, { title: string; body: string }>>;
}

/**
 * Quotes a word as a string of an engine's query syntax (FTS5 MATCH, tsquery).
 * Query words are already letters and digits only (`parseQuery`); anything
 * else is dropped again here so no operator, quote or backslash ever reaches
 * the engine's parser whatever the caller passed.
 */
export function quoteWord(word: string, quote: '"' | "'"): string {
  return `${quote}${word.replace(/[^\p{L}\p{N}]+/gu, '')}${quote}`;
}
