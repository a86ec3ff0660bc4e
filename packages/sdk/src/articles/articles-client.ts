import type { HelpArticle, HelpArticleAnswer, HelpArticlesAnswer, HelpArticleSummary } from '@lumio/protocol/browser';
import type { LumioEngine } from '../engine/lumio-engine.js';

/** Options of `lumio.articles.list`; all optional. */
export interface ArticlesListOptions {
  /** Only the articles of this collection (its id). */
  collection?: string;
  /** Search text: the results come best first, each with a highlighted `snippet`. */
  query?: string;
  /** Only the articles this viewer saved. */
  limitToSaved?: boolean;
  /** At most this many articles (1 to 100). */
  limit?: number;
}

/** The help center's articles as this session may read them (`lumio.articles`). */
export interface LumioArticles {
  /** Articles of a collection, found by a query, or saved; `[]` when the call failed (`error` says why). */
  list(options?: ArticlesListOptions): Promise<HelpArticleSummary[]>;
  /** One article by id or slug; `null` when it does not exist, this session may not read it, or the call failed. */
  get(idOrSlug: string): Promise<HelpArticle | null>;
  /** Saves an article for this viewer (recorded as `$article_saved`, like the widget); true once the server recorded it, else false (`error` says why). */
  save(id: string): Promise<boolean>;
  /** Removes an article from this viewer's saved ones (`$article_saved` with `saved: false`); true once the server recorded it. */
  unsave(id: string): Promise<boolean>;
  /** Answers "Was this helpful?" for this viewer (recorded as `$article_rated`, like the widget); true once the server recorded it. */
  feedback(id: string, helpful: boolean): Promise<boolean>;
}

// NOTE: the same bounds as the server's widget routes (help-center-widget-routes.ts).
const MAX_QUERY = 200;
const MAX_ID = 80;
const MAX_LIMIT = 100;

/**
 * The `articles` API of both clients over one engine. Every call waits for
 * what was called before it (init, identify, resetSession), so it runs with
 * the session of the user just identified. Nothing rejects: a bad argument
 * prints a console hint and emits `error` (`invalid_argument`) without a
 * request, and a failed request resolves with `[]`, `null` or `false`.
 *
 * @example
 * const saved = await lumio.articles.list({ limitToSaved: true });
 * const article = await lumio.articles.get('reset-your-password');
 * if (article && !article.saved) await lumio.articles.save(article.id);
 */
export function articlesClient(engine: LumioEngine): LumioArticles {
  const refuse = (call: string, message: string) => engine.report(`articles.${call}`, 'invalid_argument', `articles.${call}: ${message}`);
  const idOf = (call: string, value: unknown, what = 'an article id'): string | null => {
    if (typeof value === 'string' && value.trim() !== '' && value.length <= MAX_ID) return value;
    refuse(call, `needs ${what} (a non-empty string of at most ${MAX_ID} characters)`);
    return null;
  };
  // NOTE: recorded exactly as the widget's Help tab does (HelpStore.setSaved and .feedback in packages/widget): once,
  // after the server recorded it, with the same props; the widget's own calls go through engineHelpApi, not here, so
  // no event doubles. One function for the three writes keeps the SDK core within its size budget.
  const write = async (
    call: 'save' | 'unsave' | 'feedback',
    id: unknown,
    body: object,
    recorded: (articleId: string) => void,
  ): Promise<boolean> => {
    const checked = idOf(call, id);
    if (checked === null) return false;
    const result = await engine.call(`articles.${call}`, (t, token) =>
      t.post(`help/articles/${encodeURIComponent(checked)}/${call}`, body, token),
    );
    if (result.ok) recorded(checked);
    return result.ok;
  };

  return {
    async list(options) {
      const params = listParams(options, (message) => refuse('list', message));
      if (!params) return [];
      const search = params.toString();
      const result = await engine.call<HelpArticlesAnswer>('articles.list', (t, token) =>
        t.get(`help/articles${search ? `?${search}` : ''}`, token),
      );
      const articles = result.ok && Array.isArray(result.value?.articles) ? result.value.articles : [];
      // A search covers every readable article; the saved flag of each result narrows it to the saved ones.
      return options?.limitToSaved && params.has('query') ? articles.filter((a) => a.saved) : articles;
    },
    async get(idOrSlug) {
      const checked = idOf('get', idOrSlug, 'an article id or slug');
      if (checked === null) return null;
      // A missing article is an answer here (null), not an integration mistake worth a console line.
      const result = await engine.call<HelpArticleAnswer>(
        'articles.get',
        (t, token) => t.get(`help/articles/${encodeURIComponent(checked)}`, token),
        ['not_found'],
      );
      return result.ok ? (result.value?.article ?? null) : null;
    },
    save: (id) => write('save', id, {}, (articleId) => engine.record('$article_saved', { articleId, saved: true })),
    unsave: (id) => write('unsave', id, {}, (articleId) => engine.record('$article_saved', { articleId, saved: false })),
    feedback: (id, helpful) =>
      typeof helpful === 'boolean'
        ? write('feedback', id, { helpful }, (articleId) => engine.record('$article_rated', { articleId, helpful }))
        : Promise.resolve((refuse('feedback', 'helpful must be true or false'), false)),
  };
}

// The query string of GET help/articles, or null (after the hint) when an option is wrong.
function listParams(options: ArticlesListOptions | undefined, refuse: (message: string) => void): URLSearchParams | null {
  const params = new URLSearchParams();
  if (options === undefined || options === null) return params;
  if (typeof options !== 'object') return (refuse('takes { collection?, query?, limitToSaved?, limit? }'), null);
  const { collection, query, limitToSaved, limit } = options;
  if (collection !== undefined) {
    if (typeof collection !== 'string' || collection === '' || collection.length > MAX_ID)
      return (refuse(`collection must be a collection id (a non-empty string of at most ${MAX_ID} characters)`), null);
    params.set('collection', collection);
  }
  if (query !== undefined) {
    if (typeof query !== 'string' || query.length > MAX_QUERY)
      return (refuse(`query must be a string of at most ${MAX_QUERY} characters`), null);
    if (query.trim() !== '') params.set('query', query);
  }
  if (limitToSaved !== undefined) {
    if (typeof limitToSaved !== 'boolean') return (refuse('limitToSaved must be true or false'), null);
    if (limitToSaved) params.set('saved', 'true');
  }
  if (limit !== undefined) {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      return (refuse(`limit must be an integer from 1 to ${MAX_LIMIT}`), null);
    params.set('limit', String(limit));
  }
  return params;
}
