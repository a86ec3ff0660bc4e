/** One topic of a person's interest profile (a collection slug or an article tag), as the dashboard and exports show it. */
export interface InterestTopicView {
  topic: string;
  /** 0–1: how strong the interest is now (decayed with the workspace's half-life; docs/analytics.md). */
  level: number;
  /** The activity behind it, counted since the profile began (the level decays, these do not). */
  activity: { views: number; saves: number; helpfulVotes: number; searchClicks: number; announcementClicks: number };
  /** When activity last added to it (epoch ms). */
  updatedAt: number;
}

/**
 * A user's interest profile in the dashboard: the verified partition (what
 * segments and the user's own verified sessions use) and, kept apart, what
 * sessions that only claimed this userId did.
 */
export interface UserInterests {
  /** Topics of the verified partition (`v:`), strongest first (at most {@link USER_INTERESTS_SHOWN}). */
  verified: InterestTopicView[];
  /** Topics of unverified sessions claiming this userId (`i:`), strongest first; never mixed into `verified`. */
  unverified: InterestTopicView[];
  /** The workspace's half-life, in days. */
  halfLifeDays: number;
}

/** How many topics of each partition the user page shows. */
export const USER_INTERESTS_SHOWN = 20;
