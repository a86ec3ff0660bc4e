import type { Condition } from '@lumio/targeting';
import type { AppDeps } from '../http/app-deps.js';
import { parseJson, type Database } from '../db/schema.js';
import type { InterestsReader } from '../interests/interests-reader.js';
import { topicKey } from '../interests/interest-math.js';
import { viewerOf, type ViewerSession } from '../identity/viewer-key.js';
import type { SessionAttributes } from '../targeting/session-attributes.js';
import { audienceOfArticle } from '../help-center/help-center-content.js';
import type { PeerSignals } from './peer-signals.js';
import { peerTraits, type PeerTrait } from './peer-traits.js';
import { orderCollections, rankArticles, type RankedArticle, type Scored, type ViewerSignals } from './relevance-model.js';

/** The article columns ranking reads. */
export type RelevanceRow = Pick<Database['articles'], 'id' | 'collection_id' | 'position' | 'title' | 'audience' | 'tags'>;

/** The most tags of one article that count as its topics. */
const MAX_TOPICS_PER_ARTICLE = 20;

/** What ranking knows of one viewer, loaded once per request. */
export interface ViewerContext extends ViewerSignals {
  viewer: string;
  traits: PeerTrait[];
}

/** A ranked article: the model's article with the row it came from. */
export type RankedRow<R extends RelevanceRow> = Scored<RankedArticle & { row: R }>;

/**
 * Help relevance for one viewer (relevance-model.ts): loads what the model
 * needs (the workspace's setting, the viewer's own interest levels, the
 * "people like you" aggregates of their traits, the collections' topics) and
 * ranks articles and collections with it. Only the session's own trust
 * partition is read: an unverified claimant gets the claimant's interests,
 * never the verified user's.
 */
export class HelpRelevance {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock'>,
    private readonly interests: InterestsReader,
    readonly peers: PeerSignals,
  ) {}

  /** Whether the workspace ranks help per viewer (`workspaces.personalised_help`). */
  async personalised(workspaceId: string): Promise<boolean> {
    const row = await this.deps.db.selectFrom('workspaces').select('personalised_help').where('id', '=', workspaceId).executeTakeFirst();
    return Number(row?.personalised_help ?? 1) === 1;
  }

  /** Loads a session's {@link ViewerContext}; `attributes` are its targeting attributes (none for anonymous). */
  async viewer(workspaceId: string, session: ViewerSession, attributes: SessionAttributes): Promise<ViewerContext> {
    const viewer = viewerOf(session);
    if (!(await this.personalised(workspaceId))) return { personalised: false, viewer, interests: {}, peers: new Map(), traits: [] };
    const traits = peerTraits(attributes('all'));
    const [interests, peers] = await Promise.all([
      this.interests.levels(workspaceId, viewer, this.deps.clock.now()),
      this.peers.read(workspaceId, traits),
    ]);
    return { personalised: true, viewer, interests, peers, traits };
  }

  /**
   * Ranks rows for a viewer, best first. `text`: the search engine's score by
   * article id, for a search (rows without one score 0 text). `inTeamOrder`:
   * the rows come in the team's order already (a list read in SQL order).
   * `slugs`: the workspace's {@link collectionSlugs}, when the caller read them
   * already (search reads them while the engine runs).
   */
  async rank<R extends RelevanceRow>(
    workspaceId: string,
    context: ViewerContext,
    rows: R[],
    options: {
      text?: Map<string, number> | undefined;
      inTeamOrder?: boolean | undefined;
      slugs?: Map<string, string> | undefined;
    } = {},
  ): Promise<Array<RankedRow<R>>> {
    if (rows.length === 0) return [];
    const { text } = options;
    const slugs = context.personalised ? (options.slugs ?? (await this.collectionSlugs(workspaceId))) : new Map<string, string>();
    const team = options.inTeamOrder ? rows : [...rows].sort(teamOrder);
    const teamIndex = new Map(team.map((r, i) => [r.id, i]));
    return rankArticles(
      rows.map((row) => ({
        row,
        id: row.id,
        topics: context.personalised ? topicsOf(row, slugs) : [],
        audience: context.personalised ? ((audienceOfArticle(row)?.condition as Condition | undefined) ?? null) : null,
        teamIndex: teamIndex.get(row.id)!,
        text: text ? (text.get(row.id) ?? 0) : undefined,
      })),
      context,
    );
  }

  /** Collections in the viewer's order (pinned ones stay where the team put them). */
  orderCollections<C extends Pick<Database['collections'], 'id' | 'slug' | 'pinned'>>(collections: C[], context: ViewerContext): C[] {
    return orderCollections(
      collections.map((c, teamIndex) => ({ c, id: c.id, topic: topicKey(c.slug), pinned: Number(c.pinned) === 1, teamIndex })),
      context,
    ).map((x) => x.c);
  }

  /** The workspace's collection slugs by id: the collection topic of each article. */
  async collectionSlugs(workspaceId: string): Promise<Map<string, string>> {
    const rows = await this.deps.db.selectFrom('collections').select(['id', 'slug']).where('workspace_id', '=', workspaceId).execute();
    return new Map(rows.map((r) => [r.id, r.slug]));
  }
}

/** The team's order of articles: position, then title, then id (as the widget's lists have always been). */
export function teamOrder(a: Pick<RelevanceRow, 'id' | 'position' | 'title'>, b: Pick<RelevanceRow, 'id' | 'position' | 'title'>): number {
  return a.position - b.position || compare(a.title, b.title) || compare(a.id, b.id);
}

/** An article's topics: its collection's slug and its tags, as `topicKey`s, each once. */
export function topicsOf(row: Pick<RelevanceRow, 'collection_id' | 'tags'>, slugs: Map<string, string>): RankedArticle['topics'] {
  const out: RankedArticle['topics'] = [];
  const seen = new Set<string>();
  const slug = row.collection_id ? slugs.get(row.collection_id) : undefined;
  const collection = slug === undefined ? null : topicKey(slug);
  if (collection !== null) {
    out.push({ topic: collection, from: 'collection' });
    seen.add(collection);
  }
  const tags = parseJson<unknown>(row.tags, null);
  if (Array.isArray(tags))
    for (const tag of tags.slice(0, MAX_TOPICS_PER_ARTICLE)) {
      const topic = typeof tag === 'string' ? topicKey(tag) : null;
      if (topic !== null && !seen.has(topic)) {
        seen.add(topic);
        out.push({ topic, from: 'tag' });
      }
    }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
