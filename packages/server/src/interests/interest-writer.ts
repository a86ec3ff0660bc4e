import { CompiledQuery, type Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { DialectName } from '../db/dialects/dialect-adapter.js';
import { decayedScore, INTEREST_WEIGHTS, type InterestActivity } from './interest-math.js';
import type { InterestsReader } from './interests-reader.js';
import type { WorkspaceTopics } from './article-topics.js';
import { viewerOf } from '../identity/viewer-key.js';
import { rowsByKey } from '../db/batched-query.js';

// Identify's merge of a browser's interests: one read for all the identifies of a group transaction.
const scoresOfViewer = rowsByKey('interest_scores', 'viewer');

/** An event as the writer reads it: its name and props (validated by the protocol). */
export interface InterestEvent {
  name: string;
  props: Record<string, unknown> | null;
}

/** What one event is, for interests: the activity and what it touches; null when it does not count. */
export function activityOf(event: InterestEvent): { activity: InterestActivity; articleId?: string; announcementId?: string } | null {
  const props = event.props ?? {};
  const articleId = typeof props.articleId === 'string' ? props.articleId : undefined;
  switch (event.name) {
    case '$article_viewed':
      // Opened from the widget's search results: the search led to it.
      return articleId ? { activity: props.search === true ? 'searchClick' : 'view', articleId } : null;
    case '$article_saved':
      // Unsaving takes nothing back: the interest was real when it was saved.
      return articleId && props.saved === true ? { activity: 'save', articleId } : null;
    case '$article_rated':
      return articleId && props.helpful === true ? { activity: 'helpfulVote', articleId } : null;
    case '$announcement_clicked':
      return typeof props.announcementId === 'string' ? { activity: 'announcementClick', announcementId: props.announcementId } : null;
    default:
      return null;
  }
}

/** The event names that may count toward interests (ingestion loads the topics only when a batch has one). */
export const INTEREST_EVENT_NAMES: ReadonlySet<string> = new Set([
  '$article_viewed',
  '$article_saved',
  '$article_rated',
  '$announcement_clicked',
]);

/** What to add to one topic: weight and the activity counters. */
export interface TopicDelta {
  topic: string;
  score: number;
  views: number;
  saves: number;
  helpfulVotes: number;
  searchClicks: number;
  announcementClicks: number;
}

const COUNTER: Record<InterestActivity, keyof Omit<TopicDelta, 'topic' | 'score'>> = {
  view: 'views',
  save: 'saves',
  helpfulVote: 'helpfulVotes',
  searchClick: 'searchClicks',
  announcementClick: 'announcementClicks',
};

/** Sums what events add to each topic, topics in a stable order (so concurrent upserts lock rows in one order). */
export function topicDeltas(events: readonly InterestEvent[], topics: WorkspaceTopics): TopicDelta[] {
  const deltas = new Map<string, TopicDelta>();
  for (const event of events) {
    const found = activityOf(event);
    if (!found) continue;
    const touched = found.articleId !== undefined ? topics.articles.get(found.articleId) : topics.announcements.get(found.announcementId!);
    if (!touched) continue;
    for (const topic of touched) {
      let d = deltas.get(topic);
      if (!d) deltas.set(topic, (d = { topic, score: 0, views: 0, saves: 0, helpfulVotes: 0, searchClicks: 0, announcementClicks: 0 }));
      d.score += INTEREST_WEIGHTS[found.activity];
      d[COUNTER[found.activity]]++;
    }
  }
  return [...deltas.values()].sort(byTopic);
}

const COLUMNS = [
  'workspace_id',
  'viewer',
  'topic',
  'score',
  'updated_at',
  'views',
  'saves',
  'helpful_votes',
  'search_clicks',
  'announcement_clicks',
] as const;
/** Rows per upsert statement (10 columns each: far below both engines' parameter limits). */
const CHUNK = 100;

/**
 * Writes interest profiles: adds activity to a viewer's topics, and merges an
 * anonymous browser's profile into the user it proved to be. Every write runs
 * in the caller's transaction (the events' own, on ingestion).
 *
 * A row's `score` is kept as of its `updated_at`; adding to it first decays the
 * stored score to now with the workspace's half-life
 * (`score·2^(−Δ/halfLife) + w`, interest-math.ts), in the upsert itself, so
 * concurrent writers never lose an addition.
 */
export class InterestWriter {
  private readonly statements = new Map<number, string>();

  constructor(
    private readonly deps: Pick<AppDeps, 'adapter'>,
    private readonly reader: Pick<InterestsReader, 'halfLifeDays'>,
  ) {}

  /** Adds the deltas to a viewer's topics at `now`. */
  async add(trx: Kysely<Database>, workspaceId: string, viewer: string, deltas: readonly TopicDelta[], now: number): Promise<void> {
    if (deltas.length === 0) return;
    const params = (d: TopicDelta) => [
      workspaceId,
      viewer,
      d.topic,
      d.score,
      now,
      d.views,
      d.saves,
      d.helpfulVotes,
      d.searchClicks,
      d.announcementClicks,
    ];
    const runEach = this.deps.adapter.runEach;
    if (runEach) {
      // SQLite: one prepared single-row upsert per topic, synchronously in this transaction (as event-store.ts does).
      runEach(this.statement(1), deltas.map(params));
      return;
    }
    for (let i = 0; i < deltas.length; i += CHUNK) {
      const chunk = deltas.slice(i, i + CHUNK);
      await trx.executeQuery(CompiledQuery.raw(this.statement(chunk.length), chunk.flatMap(params)));
    }
  }

  /**
   * Joins what a browser did anonymously (`a:<anonymousId>`) to the verified
   * user it proved to be (`v:<userId>`): each topic's scores decayed to now and
   * summed, counters summed; the anonymous rows go. Called only on a verified
   * identify: an unverified claim never takes anyone's activity.
   */
  async mergeAnonymous(
    trx: Kysely<Database>,
    workspaceId: string,
    anonymousId: string,
    userId: string,
    now: number,
    /** The browser's activity still in the interest buffer (taken out of it by the caller). */
    queued: readonly TopicDelta[] = [],
  ): Promise<void> {
    const from = viewerOf({ state: 'anonymous', anonymousId });
    const rows = [...(await scoresOfViewer.run(trx, { workspaceId, value: from }))].sort((a, b) =>
      a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0,
    );
    if (rows.length === 0 && queued.length === 0) return;
    const halfLife = rows.length > 0 ? await this.reader.halfLifeDays(workspaceId, trx) : 0;
    const stored: TopicDelta[] = rows.map((r) => ({
      topic: r.topic,
      score: decayedScore(Number(r.score), Number(r.updated_at), now, halfLife),
      views: Number(r.views),
      saves: Number(r.saves),
      helpfulVotes: Number(r.helpful_votes),
      searchClicks: Number(r.search_clicks),
      announcementClicks: Number(r.announcement_clicks),
    }));
    const deltas = sumDeltas([...stored, ...queued]);
    await this.add(trx, workspaceId, viewerOf({ state: 'verified', userId, anonymousId }), deltas, now);
    await trx.deleteFrom('interest_scores').where('workspace_id', '=', workspaceId).where('viewer', '=', from).execute();
  }

  private statement(rows: number): string {
    let text = this.statements.get(rows);
    if (!text) this.statements.set(rows, (text = upsert(this.deps.adapter.name, rows)));
    return text;
  }
}

// NOTE: the decay here is interest-math.ts's decayedScore, in SQL: a clock behind
// the row (Δ < 0) never inflates it, and updated_at never moves back.
function upsert(dialect: DialectName, rows: number): string {
  let n = 0;
  const row = () => `(${COLUMNS.map(() => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
  const greatest = dialect === 'postgres' ? 'greatest' : 'max';
  const age = `cast(${greatest}(0, excluded.updated_at - interest_scores.updated_at) as double precision)`;
  // In double precision before multiplying: a year in ms overflows PostgreSQL's integer.
  const halfLifeMs = `(cast(86400000 as double precision) * (select w.interest_half_life_days from workspaces w where w.id = interest_scores.workspace_id))`;
  const add = (column: string) => `${column} = interest_scores.${column} + excluded.${column}`;
  return (
    `insert into interest_scores (${COLUMNS.join(', ')}) values ${Array.from({ length: rows }, row).join(', ')} ` +
    `on conflict (workspace_id, viewer, topic) do update set ` +
    `score = interest_scores.score * power(cast(2 as double precision), -${age} / ${halfLifeMs}) + excluded.score, ` +
    `updated_at = ${greatest}(interest_scores.updated_at, excluded.updated_at), ` +
    ['views', 'saves', 'helpful_votes', 'search_clicks', 'announcement_clicks'].map(add).join(', ')
  );
}

/** Deltas of the same topic added together, topics in order. */
function sumDeltas(deltas: readonly TopicDelta[]): TopicDelta[] {
  const by = new Map<string, TopicDelta>();
  for (const d of deltas) {
    const held = by.get(d.topic);
    if (!held) by.set(d.topic, { ...d });
    else addDelta(held, d);
  }
  return [...by.values()].sort(byTopic);
}

/** Adds `d` into `held` (the same topic). */
export function addDelta(held: TopicDelta, d: TopicDelta): void {
  held.score += d.score;
  held.views += d.views;
  held.saves += d.saves;
  held.helpfulVotes += d.helpfulVotes;
  held.searchClicks += d.searchClicks;
  held.announcementClicks += d.announcementClicks;
}

/** Orders deltas by topic: every upsert takes a viewer's rows in one order, so concurrent writers never deadlock. */
export function byTopic(a: TopicDelta, b: TopicDelta): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0;
}
