import type { ArticleRelevanceAnswer } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import type { UsersStore } from '../users/users-store.js';
import type { ViewerSession } from '../identity/viewer-key.js';
import { sessionAttributes } from '../targeting/session-attributes.js';
import type { HelpCenterReader } from '../help-center/help-center-reader.js';
import type { ArticleSearch } from '../help-center/search/article-search.js';
import type { HelpRelevance, RelevanceRow } from './help-relevance.js';

// As many search results as the widget's search ranks (help-center-reader.ts SEARCH_POOL: 2 × a page of 20).
const SEARCH_CANDIDATES = 40;
const COLUMNS = ['id', 'collection_id', 'position', 'title', 'audience', 'tags', 'updated_at', 'status'] as const;

/**
 * "Why this ranks here" for the dashboard: an article's score for one user
 * (their verified partition, as their verified sessions would see it), signal
 * by signal, and its place among what that user would see: the results of a
 * query, or the article's collection. Everything is read within the
 * workspace: another workspace's article or user is `not_found`.
 */
export class RelevanceExplainer {
  constructor(
    private readonly deps: Pick<AppDeps, 'db'>,
    private readonly users: UsersStore,
    private readonly reader: HelpCenterReader,
    private readonly search: ArticleSearch,
    private readonly relevance: HelpRelevance,
  ) {}

  /** Explains the rank of `articleId` for `userId`, for `query` or (without one) in its collection's list. */
  async explain(workspaceId: string, articleId: string, userId: string, query?: string): Promise<ArticleRelevanceAnswer> {
    const article = await this.deps.db
      .selectFrom('articles')
      .select(COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', articleId)
      .executeTakeFirst();
    if (!article) throw new LumioError('not_found', 'No such article.');
    const user = await this.users.get(workspaceId, userId);
    if (!user) throw new LumioError('not_found', 'No such user.');
    const session: ViewerSession = { state: 'verified', userId, anonymousId: '' };
    const attributes = sessionAttributes(session, user);
    const context = await this.relevance.viewer(workspaceId, session, attributes);

    const searching = query !== undefined && query.trim() !== '';
    let text: Map<string, number> | undefined;
    let candidates: RelevanceRow[];
    if (searching) {
      const hits = await this.search.search(workspaceId, query, { limit: SEARCH_CANDIDATES });
      text = new Map(hits.map((h) => [h.articleId, h.score]));
      const rows =
        hits.length === 0
          ? []
          : await this.published(workspaceId)
              .where('id', 'in', [...text.keys()])
              .execute();
      candidates = await this.reader.readable(workspaceId, session, rows, attributes);
    } else {
      let rows = this.published(workspaceId).orderBy('position').orderBy('title');
      rows =
        article.collection_id === null ? rows.where('collection_id', 'is', null) : rows.where('collection_id', '=', article.collection_id);
      candidates = await this.reader.readable(workspaceId, session, await rows.execute(), attributes);
    }
    const ranked = await this.relevance.rank(workspaceId, context, candidates, { text, inTeamOrder: !searching });
    const place = ranked.findIndex((r) => r.article.id === articleId);
    // An article the user would not see there is scored beside the ones they would.
    const own =
      place >= 0
        ? ranked[place]!
        : (await this.relevance.rank(workspaceId, context, [...candidates, article], { text })).find((r) => r.article.id === articleId)!;
    return {
      articleId,
      userId,
      personalised: context.personalised,
      rank: place >= 0 ? place + 1 : null,
      of: ranked.length,
      score: own.score,
      signals: own.signals,
    };
  }

  private published(workspaceId: string) {
    return this.deps.db.selectFrom('articles').select(COLUMNS).where('workspace_id', '=', workspaceId).where('status', '=', 'published');
  }
}
