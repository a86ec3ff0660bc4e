/** Limits of what a team writes into the help center. */
export const HELP_CENTER_LIMITS = Object.freeze({ titleLength: 200, bodyLength: 100_000, excerptLength: 500, slugLength: 80 });

/** Bounds of one import: how many files, and how long each may be. */
export const IMPORT_LIMITS = Object.freeze({ files: 2000, fileLength: 200_000 });

/** What a slug (and a collection's folder in an export) looks like: lower-case words joined by hyphens. */
export const SLUG_PATTERN = /^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u;

/** Articles in one page of the dashboard's article list: by default, and at most. */
export const ARTICLE_PAGE = Object.freeze({ default: 50, max: 200 });

/**
 * Bounds of an article's tags: at most `perArticle` tags, each sent as at
 * most `inputLength` characters and stored as a topic key of at most
 * `keyLength` (lower-case letters, digits, `-` and `_`; see
 * server/src/interests/interest-math.ts `topicKey`).
 */
export const ARTICLE_TAG_LIMITS = Object.freeze({ perArticle: 20, inputLength: 200, keyLength: 64 });

/** The most topics `GET …/help/topics` answers (the most used first). */
export const HELP_TOPICS_LIMIT = 1000;
