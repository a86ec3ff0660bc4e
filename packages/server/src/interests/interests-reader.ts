import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DEFAULT_INTEREST_HALF_LIFE_DAYS, levelAt } from './interest-math.js';

/** One topic of a person's interest profile, as read at a moment. */
export interface InterestTopic {
  topic: string;
  /** 0–1 (interest-math.ts). */
  level: number;
  /** The activity behind it (counts since the profile began; the level decays, these do not). */
  activity: { views: number; saves: number; helpfulVotes: number; searchClicks: number; announcementClicks: number };
  updatedAt: number;
}

/**
 * Reads interest profiles. The viewer key is the trust partition
 * (identity/viewer-key.ts): targeting a session reads that session's own
 * partition, the dashboard and segments read a user's verified one (`v:`).
 */
export class InterestsReader {
  constructor(private readonly db: Kysely<Database>) {}

  /** The workspace's half-life in days. */
  async halfLifeDays(workspaceId: string, db: Kysely<Database> = this.db): Promise<number> {
    const row = await db.selectFrom('workspaces').select('interest_half_life_days').where('id', '=', workspaceId).executeTakeFirst();
    return row?.interest_half_life_days ?? DEFAULT_INTEREST_HALF_LIFE_DAYS;
  }

  /** A viewer's topics, highest level first. */
  async topics(workspaceId: string, viewer: string, now: number, db: Kysely<Database> = this.db): Promise<InterestTopic[]> {
    const [halfLife, rows] = await Promise.all([
      this.halfLifeDays(workspaceId, db),
      db.selectFrom('interest_scores').selectAll().where('workspace_id', '=', workspaceId).where('viewer', '=', viewer).execute(),
    ]);
    return rows
      .map((row) => ({
        topic: row.topic,
        level: levelAt(Number(row.score), Number(row.updated_at), now, halfLife),
        activity: {
          views: Number(row.views),
          saves: Number(row.saves),
          helpfulVotes: Number(row.helpful_votes),
          searchClicks: Number(row.search_clicks),
          announcementClicks: Number(row.announcement_clicks),
        },
        updatedAt: Number(row.updated_at),
      }))
      .sort((a, b) => b.level - a.level || a.topic.localeCompare(b.topic));
  }

  /** A viewer's levels by topic (what `interests.<topic>` reads). */
  async levels(workspaceId: string, viewer: string, now: number, db: Kysely<Database> = this.db): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of await this.topics(workspaceId, viewer, now, db)) out[t.topic] = t.level;
    return out;
  }
}
