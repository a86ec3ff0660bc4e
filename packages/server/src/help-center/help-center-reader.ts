import type { HelpArticle, HelpArticleSummary, HelpCollection } from '@lumio/protocol';
import { readsCompanies, readsInterests, type Predicate } from '@lumio/targeting';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import type { UsersStore } from '../users/users-store.js';
import { TARGETING_CHANGED_CHANNEL, compileChecked, type SegmentResolver, type SegmentsService } from '../segments/segments-service.js';
import { loadSessionAttributes, type AudienceProperties, type SessionAttributes } from '../targeting/session-attributes.js';
import { InterestsReader } from '../interests/interests-reader.js';
import { viewerOf, type ViewerSession } from '../identity/viewer-key.js';
import { audienceOfArticle } from './help-center-content.js';
import { tagsOfArticle } from './article-tags.js';
import { rowsByKey } from '../db/batched-query.js';
import type { ArticleSearch } from './search/article-search.js';
import type { HelpRelevance } from '../relevance/help-relevance.js';

// Identify's merge of a browser's saves: one read for all the identifies of a group transaction.
const savesOfViewer = rowsByKey('article_saves', 'viewer');
/** An article's audience, compiled; `readsInterests` / `readsCompanies`: the session's interest levels / companies must be loaded to test it. */
interface CompiledAudience {
  updatedAt: number;
  matches: Predicate;
  readsInterests: boolean;
  readsCompanies: boolean;
}

/** The most articles one list answer carries. */
export const MAX_ARTICLES_PER_ANSWER = 100;
/** The most articles one "Suggested for you" answer carries. */
export const MAX_SUGGESTED = 10;
// Search results ranked for the viewer: at least this many of the engine's best, so that a
// personal signal can lift an article the text alone ranks a little lower (bench:search measures it).
const SEARCH_POOL = 40;

// Columns a list needs: never the bodies.
const SUMMARY_COLUMNS = [
  'id',
  'slug',
  'title',
  'excerpt',
  'collection_id',
  'updated_at',
  'audience',
  'status',
  'position',
  'tags',
] as const;
type SummaryRow = Pick<Database['articles'], (typeof SUMMARY_COLUMNS)[number]>;

/**
 * What a widget session may read of the help center: published articles
 * whose audience it matches (judged on the stored profile per trust
 * partition, like announcements), in lists, search and direct links alike;
 * and the viewer's own saved articles and feedback (verified users across
 * devices, unverified and anonymous sessions apart). An article the session
 * may not read is `not_found`, exactly like one that does not exist.
 * Lists, search and collections are ordered for the viewer by
 * {@link HelpRelevance} (relevance/, docs/help-center.md "Relevance").
 */
export class HelpCenterReader {
  // Compiled audiences per workspace, dropped on any content or segment change (every process, by NOTIFY).
  private readonly audiences = new Map<string, Map<string, CompiledAudience>>();
  private readonly interests: InterestsReader;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter'>,
    private readonly users: UsersStore,
    private readonly segments: SegmentsService,
    private readonly articleSearch: ArticleSearch,
    private readonly relevance: HelpRelevance,
  ) {
    this.interests = new InterestsReader(deps.db);
  }

  /** Subscribes to change notifications; call once at start-up. */
  async start(): Promise<void> {
    await this.deps.adapter.notifier.subscribe(TARGETING_CHANGED_CHANNEL, (workspaceId) => this.audiences.delete(workspaceId));
  }

  /** Drops this process's compiled audiences of a workspace at once (the NOTIFY that follows reaches the others). */
  invalidate(workspaceId: string): void {
    this.audiences.delete(workspaceId);
  }

  /** Collections with at least one article this session may read, with how many; in the viewer's order. */
  async collections(workspaceId: string, session: ViewerSession): Promise<HelpCollection[]> {
    const attributes = await loadSessionAttributes(this.users, workspaceId, session);
    const [collections, readable, context] = await Promise.all([
      this.deps.db
        .selectFrom('collections')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('position')
        .orderBy('name')
        .execute(),
      this.readable(workspaceId, session, this.published(workspaceId), attributes),
      this.relevance.viewer(workspaceId, session, attributes),
    ]);
    const counts = new Map<string, number>();
    for (const a of readable) if (a.collection_id) counts.set(a.collection_id, (counts.get(a.collection_id) ?? 0) + 1);
    return this.relevance
      .orderCollections(collections, context)
      .filter((c) => counts.has(c.id))
      .map((c) => ({
        id: c.id,
        name: c.name,
        slug: c.slug,
        description: c.description,
        pinned: c.pinned === 1,
        articleCount: counts.get(c.id)!,
      }));
  }

  /** Articles this session may read: of a collection, or all, ranked for the viewer; or the viewer's saved ones, in the team's order. */
  async list(
    workspaceId: string,
    session: ViewerSession,
    options: { collectionId?: string | undefined; saved?: boolean | undefined; limit?: number | undefined },
  ): Promise<HelpArticleSummary[]> {
    const viewer = viewerOf(session);
    let query = this.published(workspaceId);
    if (options.collectionId !== undefined) query = query.where('collection_id', '=', options.collectionId);
    if (options.saved)
      query = query.where('id', 'in', (eb) =>
        eb.selectFrom('article_saves').select('article_id').where('workspace_id', '=', workspaceId).where('viewer', '=', viewer),
      );
    const attributes = await loadSessionAttributes(this.users, workspaceId, session);
    let readable = await this.readable(workspaceId, session, query, attributes);
    if (!options.saved) {
      const context = await this.relevance.viewer(workspaceId, session, attributes);
      readable = (await this.relevance.rank(workspaceId, context, readable, { inTeamOrder: true })).map((r) => r.article.row);
    }
    const saved = await this.savedIds(workspaceId, viewer, options.saved ? null : readable.map((a) => a.id));
    return readable
      .slice(0, Math.min(options.limit ?? MAX_ARTICLES_PER_ANSWER, MAX_ARTICLES_PER_ANSWER))
      .map((a) => summary(a, saved.has(a.id)));
  }

  /**
   * "Suggested for you": the articles this session may read ranked for the
   * viewer without a query, leaving out those the viewer saved or found
   * helpful already. With nothing known of the viewer, the articles most
   * people found helpful (aggregates of at least k people), then the team's order.
   */
  async suggested(workspaceId: string, session: ViewerSession, limit: number): Promise<HelpArticleSummary[]> {
    const viewer = viewerOf(session);
    const attributes = await loadSessionAttributes(this.users, workspaceId, session);
    const [readable, context, seen] = await Promise.all([
      this.readable(workspaceId, session, this.published(workspaceId), attributes),
      this.relevance.viewer(workspaceId, session, attributes),
      this.seenIds(workspaceId, viewer),
    ]);
    const candidates = readable.filter((a) => !seen.has(a.id));
    let ranked = await this.relevance.rank(workspaceId, context, candidates, { inTeamOrder: true });
    const personal = ranked.some((r) => r.signals.some((p) => p.signal !== 'team' && p.value > 0));
    if (!personal) {
      const helpful = await this.relevance.peers.mostHelpful(workspaceId);
      ranked = [...ranked].sort(
        (a, b) => (helpful.get(b.article.id) ?? 0) - (helpful.get(a.article.id) ?? 0) || a.article.teamIndex - b.article.teamIndex,
      );
    }
    return ranked.slice(0, Math.min(limit, MAX_SUGGESTED)).map((r) => summary(r.article.row, false));
  }

  /**
   * Articles matching a query, best first, with highlighted snippets: the
   * search index ranks, then the same audience rule as everywhere else
   * filters, so a search never reveals an article the session may not read.
   */
  async search(
    workspaceId: string,
    session: ViewerSession,
    query: string,
    options: { limit?: number | undefined; collectionId?: string | undefined } = {},
  ): Promise<HelpArticleSummary[]> {
    const limit = Math.min(options.limit ?? 20, MAX_ARTICLES_PER_ANSWER);
    const viewer = viewerOf(session);
    // What the viewer's ranking needs does not depend on the hits: read it while the engine runs (after the
    // engine, one round trip after the other, these reads added about 3 ms on PostgreSQL: bench/search/README.md).
    const attributesRead = loadSessionAttributes(this.users, workspaceId, session);
    const viewerRead = attributesRead.then(async (attributes) => {
      const context = await this.relevance.viewer(workspaceId, session, attributes);
      const slugs = context.personalised ? await this.relevance.collectionSlugs(workspaceId) : undefined;
      return { attributes, context, slugs };
    });
    // Ranked before the audience filter and the viewer's signals: ask for more than the page needs (bench:search measures this size).
    const matchesRead = this.articleSearch.matches(workspaceId, query, { limit: Math.max(limit * 2, SEARCH_POOL) });
    // The snippets, rows and saves of every match at once: the page is among them.
    const rowsRead = matchesRead.then(async (matches) => {
      if (matches.scores.size === 0) return { hits: [], rows: [], saved: new Set<string>() };
      const ids = [...matches.scores.keys()];
      let rows = this.deps.db
        .selectFrom('articles')
        .select(SUMMARY_COLUMNS)
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'published')
        .where('id', 'in', ids);
      if (options.collectionId !== undefined) rows = rows.where('collection_id', '=', options.collectionId);
      const [hits, found, saved] = await Promise.all([
        this.articleSearch.snippets(workspaceId, matches),
        rows.execute(),
        this.savedIds(workspaceId, viewer, ids),
      ]);
      return { hits, rows: found, saved };
    });
    const [{ hits, rows, saved }, { attributes, context, slugs }] = await Promise.all([rowsRead, viewerRead]);
    if (hits.length === 0) return [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const found = hits.flatMap((h) => (byId.has(h.articleId) ? [byId.get(h.articleId)!] : []));
    const visible = await this.readable(workspaceId, session, found, attributes);
    const text = new Map(hits.map((h) => [h.articleId, h.score]));
    const readable = (await this.relevance.rank(workspaceId, context, visible, { text, slugs })).slice(0, limit).map((r) => r.article.row);
    const snippets = new Map(hits.map((h) => [h.articleId, h.snippet]));
    return readable.map((a) => ({ ...summary(a, saved.has(a.id)), snippet: snippets.get(a.id) ?? '' }));
  }

  /** One article by id or slug, if this session may read it. */
  async get(workspaceId: string, session: ViewerSession, idOrSlug: string): Promise<HelpArticle> {
    const row = await this.deps.db
      .selectFrom('articles')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'published')
      .where((eb) => eb.or([eb('id', '=', idOrSlug), eb('slug', '=', idOrSlug)]))
      .executeTakeFirst();
    if (!row || (await this.readable(workspaceId, session, row)).length === 0) throw notFound();
    const viewer = viewerOf(session);
    const [saved, feedback] = await Promise.all([
      this.savedIds(workspaceId, viewer, [row.id]),
      this.deps.db
        .selectFrom('article_feedback')
        .select('helpful')
        .where('workspace_id', '=', workspaceId)
        .where('viewer', '=', viewer)
        .where('article_id', '=', row.id)
        .executeTakeFirst(),
    ]);
    return { ...summary(row, saved.has(row.id)), html: row.body_html, helpful: feedback ? feedback.helpful === 1 : null };
  }

  /** Saves or unsaves an article for this session's viewer; `not_found` for one it may not read. */
  async setSaved(workspaceId: string, session: ViewerSession, articleId: string, saved: boolean): Promise<void> {
    await this.mustRead(workspaceId, session, articleId);
    const viewer = viewerOf(session);
    if (saved)
      await this.deps.db
        .insertInto('article_saves')
        .values({ workspace_id: workspaceId, viewer, article_id: articleId, saved_at: this.deps.clock.now() })
        .onConflict((oc) => oc.columns(['workspace_id', 'viewer', 'article_id']).doNothing())
        .execute();
    else
      await this.deps.db
        .deleteFrom('article_saves')
        .where('workspace_id', '=', workspaceId)
        .where('viewer', '=', viewer)
        .where('article_id', '=', articleId)
        .execute();
  }

  /**
   * Moves what an anonymous id saved onto the verified user it was just
   * linked to; called by identify in its transaction (DESIGN.md: private
   * data merges only on a verified identify).
   */
  async mergeAnonymous(db: Kysely<Database>, workspaceId: string, anonymousId: string, userId: string): Promise<void> {
    const anonymous = viewerOf({ state: 'anonymous', anonymousId });
    const saves = await savesOfViewer.run(db, { workspaceId, value: anonymous });
    if (saves.length === 0) return;
    const viewer = viewerOf({ state: 'verified', userId, anonymousId });
    await db
      .insertInto('article_saves')
      .values(saves.map((s) => ({ ...s, viewer })))
      .onConflict((oc) => oc.columns(['workspace_id', 'viewer', 'article_id']).doNothing())
      .execute();
    await db.deleteFrom('article_saves').where('workspace_id', '=', workspaceId).where('viewer', '=', anonymous).execute();
  }

  /** Records "Was this helpful?" for this viewer (the latest answer counts). */
  async feedback(workspaceId: string, session: ViewerSession, articleId: string, helpful: boolean): Promise<void> {
    await this.mustRead(workspaceId, session, articleId);
    const values = {
      workspace_id: workspaceId,
      viewer: viewerOf(session),
      article_id: articleId,
      helpful: helpful ? 1 : 0,
      at: this.deps.clock.now(),
    };
    await this.deps.db
      .insertInto('article_feedback')
      .values(values)
      .onConflict((oc) => oc.columns(['workspace_id', 'viewer', 'article_id']).doUpdateSet({ helpful: values.helpful, at: values.at }))
      .execute();
  }

  /**
   * Keeps the rows this session may read, in their order. Exposed for search,
   * which finds candidates first and must filter them the same way.
   */
  async readable<R extends Pick<Database['articles'], 'id' | 'audience' | 'updated_at'>>(
    workspaceId: string,
    session: ViewerSession,
    rows: R | R[] | { execute(): Promise<R[]> },
    preloaded?: SessionAttributes,
  ): Promise<R[]> {
    const list = Array.isArray(rows) ? rows : 'execute' in rows ? await rows.execute() : [rows];
    if (!list.some((r) => r.audience !== null && r.audience !== undefined && audienceOfArticle(r) !== null)) return list;
    const compiled = this.compiledFor(workspaceId);
    // Loaded once per call, and only when an audience has to be compiled.
    let resolver: SegmentResolver | undefined;
    const now = this.deps.clock.now();
    const tests: Array<{ entry: CompiledAudience; properties: AudienceProperties } | null> = [];
    for (const row of list) {
      const audience = audienceOfArticle(row);
      if (audience === null) {
        tests.push(null);
        continue;
      }
      let entry = compiled.get(row.id);
      if (!entry || entry.updatedAt !== row.updated_at) {
        resolver ??= await this.segments.resolver(workspaceId);
        entry = {
          updatedAt: row.updated_at,
          matches: compileChecked(audience.condition, resolver),
          readsInterests: readsInterests(audience.condition, { segment: resolver }),
          readsCompanies: readsCompanies(audience.condition, { segment: resolver }),
        };
        compiled.set(row.id, entry);
      }
      tests.push({ entry, properties: audience.properties });
    }
    // The session's interest levels and companies only when an audience reads them.
    const interests = tests.some((t) => t?.entry.readsInterests) ? { reader: this.interests, now } : undefined;
    const companies = tests.some((t) => t?.entry.readsCompanies) ? { db: this.deps.db } : undefined;
    // The caller's attributes when it has them and no audience reads interests or companies (they carry neither).
    const attributes =
      preloaded !== undefined && interests === undefined && companies === undefined
        ? preloaded
        : await loadSessionAttributes(this.users, workspaceId, session, interests, companies);
    return list.filter((_, i) => {
      const test = tests[i];
      return !test || test.entry.matches(attributes(test.properties), now);
    });
  }

  private published(workspaceId: string) {
    return this.deps.db
      .selectFrom('articles')
      .select(SUMMARY_COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'published')
      .orderBy('position')
      .orderBy('title');
  }

  private async mustRead(workspaceId: string, session: ViewerSession, articleId: string): Promise<void> {
    const row = await this.deps.db
      .selectFrom('articles')
      .select(['id', 'audience', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'published')
      .where('id', '=', articleId)
      .executeTakeFirst();
    if (!row || (await this.readable(workspaceId, session, row)).length === 0) throw notFound();
  }

  // What the viewer saved or found helpful: not suggested again.
  private async seenIds(workspaceId: string, viewer: string): Promise<Set<string>> {
    const [saves, helpful] = await Promise.all([
      this.deps.db
        .selectFrom('article_saves')
        .select('article_id')
        .where('workspace_id', '=', workspaceId)
        .where('viewer', '=', viewer)
        .execute(),
      this.deps.db
        .selectFrom('article_feedback')
        .select('article_id')
        .where('workspace_id', '=', workspaceId)
        .where('viewer', '=', viewer)
        .where('helpful', '=', 1)
        .execute(),
    ]);
    return new Set([...saves, ...helpful].map((r) => r.article_id));
  }

  private async savedIds(workspaceId: string, viewer: string, among: string[] | null): Promise<Set<string>> {
    if (among !== null && among.length === 0) return new Set();
    let query = this.deps.db
      .selectFrom('article_saves')
      .select('article_id')
      .where('workspace_id', '=', workspaceId)
      .where('viewer', '=', viewer);
    if (among !== null) query = query.where('article_id', 'in', among);
    return new Set((await query.execute()).map((r) => r.article_id));
  }

  private compiledFor(workspaceId: string): Map<string, CompiledAudience> {
    let compiled = this.audiences.get(workspaceId);
    if (!compiled) {
      compiled = new Map();
      this.audiences.set(workspaceId, compiled);
    }
    return compiled;
  }
}

function summary(row: SummaryRow | Database['articles'], saved: boolean): HelpArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    excerpt: row.excerpt,
    collectionId: row.collection_id,
    updatedAt: row.updated_at,
    tags: tagsOfArticle(row),
    saved,
  };
}

function notFound(): LumioError {
  return new LumioError('not_found', 'No such article.');
}
