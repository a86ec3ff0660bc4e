/** The most of a query that is read: longer input is cut, so a pasted page cannot make a costly search. */
export const MAX_QUERY_LENGTH = 200;
/** The most distinct words of a query that are searched for. */
export const MAX_QUERY_WORDS = 10;
/** Words this long or longer also match with one typo (a shorter word has too many neighbours). */
export const TYPO_MIN_LENGTH = 5;
/** Words this long or longer go into the typo vocabulary: a typo of a 5-letter word may have 4. */
export const VOCABULARY_MIN_LENGTH = TYPO_MIN_LENGTH - 1;
/** Longer runs of letters (hashes, base64) are left out of the typo vocabulary. */
export const VOCABULARY_MAX_LENGTH = 40;

// NOTE: both indexes (sqlite-article-search.ts, postgres-article-search.ts) are fed
// words made by `wordsOf`, and queries are split by the same function, so the
// engines' own tokenizers only ever see lower-case runs of letters and digits
// separated by spaces. Change the definition of a word here and every article
// must be indexed again (a migration).
const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;

/** Folds text the way the index does: compatibility forms, no diacritics, lower case ("Café" → "cafe"). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The words of a text as the index stores them: folded runs of letters and digits. */
export function wordsOf(text: string): string[] {
  return foldText(text).match(WORD) ?? [];
}

/** The number of characters (code points) of a word, which is what "five letters" counts. */
export function letterCount(word: string): number {
  let n = 0;
  for (const _ of word) n++;
  return n;
}

/** A search query split into the words to look for. */
export interface ParsedQuery {
  /** Distinct folded words, in the order typed, at most {@link MAX_QUERY_WORDS}. */
  words: string[];
  /** The word still being typed (the query does not end with a space), matched as a prefix too; null if none. */
  prefix: string | null;
}

/** Reads user input as a list of plain words: every operator or quote of either engine's query syntax is dropped. */
export function parseQuery(query: string): ParsedQuery {
  const folded = foldText(query.slice(0, MAX_QUERY_LENGTH));
  const all = folded.match(WORD) ?? [];
  const words = [...new Set(all)].slice(0, MAX_QUERY_WORDS);
  const last = all.at(-1);
  // A one-letter prefix would match a large part of the vocabulary for little use.
  const typing = last !== undefined && /[\p{L}\p{N}]$/u.test(folded) && letterCount(last) >= 2 && words.includes(last);
  return { words, prefix: typing ? last : null };
}

/**
 * Whether two different words are one edit apart: a letter added, dropped,
 * replaced, or two neighbours swapped ("pasword", "passwrod" → "password").
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return false;
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const restX = endX - start;
  const restY = endY - start;
  // What is left between the common prefix and suffix is the edit.
  if (restX <= 1 && restY <= 1) return true;
  return restX === 2 && restY === 2 && x[start] === y[start + 1] && x[start + 1] === y[start];
}
