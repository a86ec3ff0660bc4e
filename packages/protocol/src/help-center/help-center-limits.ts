/** Limits of what a team writes into the help center. */
export const HELP_CENTER_LIMITS = Object.freeze({ titleLength: 200, bodyLength: 100_000, excerptLength: 500, slugLength: 80 });

/** Bounds of one import: how many files, and how long each may be. */
export const IMPORT_LIMITS = Object.freeze({ files: 2000, fileLength: 200_000 });

/** What a slug (and a collection's folder in an export) looks like: lower-case words joined by hyphens. */
export const SLUG_PATTERN = /^[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*$/u;

/** Articles in one page of the dashboard's article list: by default, and at most. */
export const ARTICLE_PAGE = Object.freeze({ default: 50, max: 200 });
