/**
 * The arithmetic of interest profiles, shared by the writer (ingestion), the
 * readers (targeting, relevance, the dashboard) and the SQL compiler, so that
 * `interests.<topic>` means the same number everywhere.
 *
 * A stored score is a sum of activity weights, each halved every half-life:
 * `score` as of `updated_at`. Read at `now`, it is
 * `score · 2^(−(now − updated_at) / halfLife)`, and the level the condition
 * language sees is `1 − 2^(−decayed / SATURATION)`: 0 for no activity, ½ at
 * SATURATION points, approaching 1 with more. A level is absolute (not a share
 * of the person's other topics), so a condition like
 * `{ "interests.billing": { "$gte": 0.5 } }` keeps its meaning as the person's
 * other interests grow.
 */

/** What each kind of activity adds to every topic of the article it touches. */
export const INTEREST_WEIGHTS = {
  view: 1,
  save: 3,
  helpfulVote: 3,
  searchClick: 2,
  announcementClick: 1,
} as const;

export type InterestActivity = keyof typeof INTEREST_WEIGHTS;

/** Points of decayed weight at which the level reaches ½. */
export const INTEREST_SATURATION = 4;

/** The default half-life, in days (per workspace: `workspaces.interest_half_life_days`). */
export const DEFAULT_INTEREST_HALF_LIFE_DAYS = 30;

/** Bounds of the per-workspace half-life setting, in days. */
export const INTEREST_HALF_LIFE_DAYS = { min: 1, max: 365 } as const;

const DAY_MS = 86_400_000;

/** A stored score decayed from `updatedAt` to `now`. */
export function decayedScore(score: number, updatedAt: number, now: number, halfLifeDays: number): number {
  const age = Math.max(0, now - updatedAt);
  return score * Math.pow(2, -age / (halfLifeDays * DAY_MS));
}

/** The 0–1 level of a decayed score. */
export function interestLevel(decayed: number): number {
  if (!(decayed > 0)) return 0;
  return 1 - Math.pow(2, -decayed / INTEREST_SATURATION);
}

/** The level of a stored row at `now`. */
export function levelAt(score: number, updatedAt: number, now: number, halfLifeDays: number): number {
  return interestLevel(decayedScore(score, updatedAt, now, halfLifeDays));
}

/**
 * A topic's key: collections contribute their slug and articles their tags,
 * both normalised the same way, so a collection "billing" and a tag "Billing"
 * are one topic. Lower-case letters, digits, `-` and `_`; at most 64
 * characters; anything else is dropped (null when nothing is left, and for
 * `__proto__`).
 */
export function topicKey(raw: string): string | null {
  const key = raw
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  // `__proto__` would vanish from (or poison) a plain object keyed by topic, and the condition language refuses it.
  return key.length > 0 && key !== '__proto__' ? key : null;
}
