import type { AppDeps } from '../http/app-deps.js';
import { parseJson } from '../db/schema.js';
import { userAttributes } from '../targeting/user-attributes.js';
import { PEERS_MIN_PEOPLE, type PeerScore } from './relevance-model.js';
import { EVERYONE, peerTraits, type PeerTrait } from './peer-traits.js';
import { BackgroundTask, type StopSignal } from '../ops/background-task.js';

/** The most recent helpful votes and saves (each) one rebuild reads per workspace: its cost stays bounded. */
export const PEER_ACTIVITY_LIMIT = 20_000;
/** The most articles kept per trait group (its most helpful). */
export const PEER_ARTICLES_PER_GROUP = 100;
/** The most rows kept per workspace (largest groups first). */
export const PEER_ROWS_LIMIT = 50_000;

const FIRST_RUN_DELAY_MS = 30_000;
const RUN_INTERVAL_MS = 15 * 60_000;
const USERS_CHUNK = 500;
const INSERT_CHUNK = 500;

/**
 * The "people like you" signal: per workspace, trait and article, how many
 * distinct verified people with that trait marked the article helpful or
 * saved it. Rebuilt in the background (shortly after start-up, then every
 * 15 minutes) into `peer_helpful`, never per request; a request reads the
 * rows of the viewer's few traits. A count below k ({@link PEERS_MIN_PEOPLE})
 * is never stored, so what one person did never reaches another's ranking.
 * Only verified partitions (`v:`) count: an unverified claimant cannot
 * steer what others are shown.
 */
export class PeerSignals {
  private readonly task: BackgroundTask<void>;

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'adapter' | 'clock' | 'logger'>) {
    this.task = new BackgroundTask(
      { name: 'peer relevance rebuild', firstRunDelayMs: FIRST_RUN_DELAY_MS, intervalMs: RUN_INTERVAL_MS, logger: deps.logger },
      (signal) => this.rebuildAll(signal),
    );
  }

  /** Starts the background rebuilds; the timers never keep the process alive. */
  start(): void {
    this.task.start();
  }

  /** Stops the timers; a run in progress ends after its current step. */
  stop(): void {
    this.task.stop();
  }

  /** Rebuilds every workspace now (or waits for the rebuild in progress). */
  runOnce(): Promise<void> {
    return this.task.runOnce();
  }

  /**
   * Per article, the best of `traits`' groups: its people over the most any
   * article of that group got. Only the rows of these traits are read.
   */
  async read(workspaceId: string, traits: PeerTrait[]): Promise<Map<string, PeerScore>> {
    const out = new Map<string, PeerScore>();
    if (traits.length === 0) return out;
    const rows = await this.deps.db
      .selectFrom('peer_helpful')
      .select(['trait_key', 'trait_value', 'article_id', 'people'])
      .where('workspace_id', '=', workspaceId)
      .where((eb) => eb.or(traits.map((t) => eb.and([eb('trait_key', '=', t.key), eb('trait_value', '=', t.value)]))))
      .execute();
    const most = new Map<string, number>();
    for (const r of rows) {
      const group = `${r.trait_key}\u0000${r.trait_value}`;
      most.set(group, Math.max(most.get(group) ?? 0, Number(r.people)));
    }
    for (const r of rows) {
      const people = Number(r.people);
      // Belt and braces: rows are written at k or more, and nothing under k is ever used.
      if (people < PEERS_MIN_PEOPLE) continue;
      const value = people / most.get(`${r.trait_key}\u0000${r.trait_value}`)!;
      const best = out.get(r.article_id);
      if (!best || value > best.value || (value === best.value && people > best.people))
        out.set(r.article_id, { value, people, trait: { key: r.trait_key, value: r.trait_value } });
    }
    return out;
  }

  /** Articles most people of the workspace found helpful (at least k each), most first. */
  async mostHelpful(workspaceId: string): Promise<Map<string, number>> {
    const rows = await this.deps.db
      .selectFrom('peer_helpful')
      .select(['article_id', 'people'])
      .where('workspace_id', '=', workspaceId)
      .where('trait_key', '=', EVERYONE.key)
      .where('trait_value', '=', EVERYONE.value)
      .execute();
    return new Map(rows.filter((r) => Number(r.people) >= PEERS_MIN_PEOPLE).map((r) => [r.article_id, Number(r.people)]));
  }

  /** Rebuilds one workspace's aggregates from its latest activity. */
  async rebuild(workspaceId: string): Promise<{ rows: number }> {
    const db = this.deps.db;
    const [votes, saves] = await Promise.all([
      db
        .selectFrom('article_feedback')
        .select(['viewer', 'article_id'])
        .where('workspace_id', '=', workspaceId)
        .where('helpful', '=', 1)
        .where('viewer', 'like', 'v:%')
        .orderBy('at', 'desc')
        .limit(PEER_ACTIVITY_LIMIT)
        .execute(),
      db
        .selectFrom('article_saves')
        .select(['viewer', 'article_id'])
        .where('workspace_id', '=', workspaceId)
        .where('viewer', 'like', 'v:%')
        .orderBy('saved_at', 'desc')
        .limit(PEER_ACTIVITY_LIMIT)
        .execute(),
    ]);
    // Per person, the articles they found helpful (a vote and a save count once).
    const byPerson = new Map<string, Set<string>>();
    for (const r of [...votes, ...saves]) {
      const userId = r.viewer.slice(2);
      let articles = byPerson.get(userId);
      if (!articles) byPerson.set(userId, (articles = new Set()));
      articles.add(r.article_id);
    }
    // Per group, per article, how many people.
    const groups = new Map<string, Map<string, number>>();
    const count = (trait: PeerTrait, articles: Set<string>) => {
      const group = `${trait.key}\u0000${trait.value}`;
      let counts = groups.get(group);
      if (!counts) groups.set(group, (counts = new Map()));
      for (const a of articles) counts.set(a, (counts.get(a) ?? 0) + 1);
    };
    const people = [...byPerson.keys()];
    for (let i = 0; i < people.length; i += USERS_CHUNK) {
      const chunk = people.slice(i, i + USERS_CHUNK);
      // Erased users are gone from this table: their activity stops counting at the next rebuild.
      const users = await db
        .selectFrom('users')
        .select(['user_id', 'name', 'email', 'birthday', 'gender', 'properties', 'sources', 'trust'])
        .where('workspace_id', '=', workspaceId)
        .where('user_id', 'in', chunk)
        .execute();
      for (const u of users) {
        const articles = byPerson.get(u.user_id)!;
        const attributes = userAttributes({
          userId: u.user_id,
          name: u.name,
          email: u.email,
          birthday: u.birthday,
          gender: u.gender,
          properties: parseJson<Record<string, unknown>>(u.properties, {}),
          sources: parseJson<Record<string, string>>(u.sources, {}),
          trust: u.trust,
        } as Parameters<typeof userAttributes>[0]);
        count(EVERYONE, articles);
        for (const trait of peerTraits(attributes)) count(trait, articles);
      }
      await yieldToOthers();
    }
    const now = this.deps.clock.now();
    const rows: Array<{ trait_key: string; trait_value: string; article_id: string; people: number }> = [];
    const kept = [...groups]
      .map(([group, counts]) => {
        const [traitKey, traitValue] = group.split('\u0000') as [string, string];
        const articles = [...counts]
          .filter(([, n]) => n >= PEERS_MIN_PEOPLE)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .slice(0, PEER_ARTICLES_PER_GROUP);
        return { traitKey, traitValue, articles, size: articles.reduce((s, [, n]) => s + n, 0) };
      })
      .filter((g) => g.articles.length > 0)
      .sort((a, b) => b.size - a.size);
    for (const g of kept) {
      for (const [articleId, n] of g.articles) {
        if (rows.length === PEER_ROWS_LIMIT) break;
        rows.push({ trait_key: g.traitKey, trait_value: g.traitValue, article_id: articleId, people: n });
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('peer_helpful').where('workspace_id', '=', workspaceId).execute();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK)
        await trx
          .insertInto('peer_helpful')
          .values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, workspace_id: workspaceId, refreshed_at: now })))
          .execute();
    });
    return { rows: rows.length };
  }

  private async rebuildAll(signal: StopSignal): Promise<void> {
    const workspaces = await this.deps.db.selectFrom('workspaces').select('id').orderBy('id').execute();
    for (const { id } of workspaces) {
      if (signal.stopped) break;
      await this.rebuild(id);
      await yieldToOthers();
    }
  }
}

// Lets queued work (a request) run between two steps.
function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
