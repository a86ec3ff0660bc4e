import type { Condition, ConditionValue } from '@lumio/targeting';

/**
 * The help center's ranking model, in one place (docs/help-center.md,
 * "Relevance"): an article's score for a viewer is
 * `Σ weight · value` over the signals below, each value in [0, 1]; the team's
 * order breaks ties. With personalisation off for the workspace only `text`
 * and `team` count.
 *
 * - `text`: the search engine's relevance over the best of the result set
 *   (0–1; lists without a query have none);
 * - `interest`: the viewer's own interest level (interests/interest-math.ts)
 *   in the article's topics (its collection's slug and its tags), the highest;
 * - `audience`: how specifically the article's audience targets the viewer:
 *   the attribute constraints its condition requires, up to
 *   {@link AUDIENCE_SPECIFICITY_CAP} (an article for everyone: 0);
 * - `peers`: what people sharing one of the viewer's traits found helpful,
 *   from aggregates over at least {@link PEERS_MIN_PEOPLE} people only;
 * - `team`: the team's order (position, title): a small prior in lists; with a
 *   query only a tie-breaker (weight 0), since the engine's differences between
 *   close matches are far smaller than any prior and carry real information.
 *
 * NOTE: docs/help-center.md lists these weights and k; keep them in step.
 */
export const RELEVANCE_WEIGHTS = {
  text: 1,
  interest: 0.4,
  audience: 0.25,
  peers: 0.25,
  team: 0.05,
} as const;

/** The team order's weight when there is a query: it only breaks ties. */
export const TEAM_WEIGHT_WITH_QUERY = 0;

/** The signals of the model, in the order an explanation lists them. */
export const RELEVANCE_SIGNALS = ['text', 'interest', 'audience', 'peers', 'team'] as const;
export type RelevanceSignal = (typeof RELEVANCE_SIGNALS)[number];

/** k: the fewest distinct people an aggregate of the "people like you" signal must count to be used at all. */
export const PEERS_MIN_PEOPLE = 5;

/** Constraints of an audience beyond which an article is not counted as more specific. */
export const AUDIENCE_SPECIFICITY_CAP = 3;

// Attributes whose constraint says nothing of who the reader is (signed in or not).
const UNSPECIFIC_ATTRIBUTES = new Set(['trust']);
// Operators that exclude rather than select: `{ plan: { $ne: 'free' } }` targets nobody in particular.
const EXCLUDING_OPERATORS = new Set(['$ne', '$nin', '$nini', '$not']);
const MAX_DEPTH = 12;

/** An article as the model sees it. */
export interface RankedArticle {
  id: string;
  /** Its topics: the collection's slug and its tags, as interest-math's `topicKey`s. */
  topics: Array<{ topic: string; from: 'collection' | 'tag' }>;
  /** Its audience condition, null for everyone. */
  audience: Condition | null;
  /** 0-based place in the team's order among the articles ranked together. */
  teamIndex: number;
  /** The search engine's raw score (higher is better); undefined for lists without a query. */
  text?: number | undefined;
}

/** What "people like you" found of one article: the best of the viewer's traits. */
export interface PeerScore {
  /** People with the trait who found it helpful, divided by the most any article got from that trait's people. */
  value: number;
  trait: { key: string; value: string };
  /** Distinct people (at least {@link PEERS_MIN_PEOPLE}). */
  people: number;
}

/** What the model knows of the viewer. */
export interface ViewerSignals {
  personalised: boolean;
  /** Interest levels by topic (0–1). */
  interests: Record<string, number>;
  /** Peer scores by article id. */
  peers: Map<string, PeerScore>;
}

/** One signal's part of a score. */
export interface SignalPart {
  signal: RelevanceSignal;
  weight: number;
  value: number;
  contribution: number;
  detail: string;
}

/** An article's score with the parts it is made of. */
export interface Scored<A extends RankedArticle = RankedArticle> {
  article: A;
  score: number;
  signals: SignalPart[];
}

/**
 * The constraints of a condition a reader must satisfy, counting what
 * selects (`plan: 'pro'`, `seats: { $gte: 10 }`, a segment) and not what
 * excludes (`$ne`, `$nin`, `$not`, `$nor`) or the session's trust; of an `$or`
 * the least specific branch counts, since the reader matched at least one.
 */
export function audienceConstraints(condition: Condition | null, depth = 0): number {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition) || depth > MAX_DEPTH) return 0;
  let count = 0;
  for (const [key, operand] of Object.entries(condition)) {
    if (key === '$and') count += branches(operand).reduce((sum, c) => sum + audienceConstraints(c, depth + 1), 0);
    else if (key === '$or') {
      const parts = branches(operand).map((c) => audienceConstraints(c, depth + 1));
      count += parts.length > 0 ? Math.min(...parts) : 0;
    } else if (key === '$segment') count += 1;
    else if (key.startsWith('$') || UNSPECIFIC_ATTRIBUTES.has(key)) continue;
    else if (selects(operand)) count += 1;
  }
  return count;
}

/** {@link audienceConstraints} as a 0–1 value. */
export function audienceSpecificity(condition: Condition | null): number {
  return Math.min(audienceConstraints(condition), AUDIENCE_SPECIFICITY_CAP) / AUDIENCE_SPECIFICITY_CAP;
}

/**
 * Scores and orders articles for a viewer, best first; equal scores keep the
 * team's order. `text` scores, when present, are divided by the set's best,
 * so the weights mean the same whatever the engine's scale (and near-equal
 * matches stay near-equal, which a min–max scale would spread apart).
 */
export function rankArticles<A extends RankedArticle>(articles: A[], viewer: ViewerSignals): Array<Scored<A>> {
  // Loops, not Math.max(...list): a list may hold every article of a large help center.
  let textMax = 0;
  let teamSpan = 0;
  for (const a of articles) {
    if (a.text !== undefined && a.text > textMax) textMax = a.text;
    if (a.teamIndex > teamSpan) teamSpan = a.teamIndex;
  }
  return articles
    .map((article) => scoreArticle(article, viewer, { textMax, teamSpan }))
    .sort((a, b) => b.score - a.score || a.article.teamIndex - b.article.teamIndex);
}

/** One article's score; `scale` comes from the set it is ranked in (see {@link rankArticles}). */
export function scoreArticle<A extends RankedArticle>(
  article: A,
  viewer: ViewerSignals,
  scale: { textMax: number; teamSpan: number },
): Scored<A> {
  const parts: SignalPart[] = [];
  const searching = article.text !== undefined;
  const weightOf = (signal: RelevanceSignal) => (signal === 'team' && searching ? TEAM_WEIGHT_WITH_QUERY : RELEVANCE_WEIGHTS[signal]);
  const add = (signal: RelevanceSignal, value: number, detail: string) => {
    const weight = weightOf(signal);
    parts.push({ signal, weight, value: round(value), contribution: round(weight * value), detail });
  };
  if (article.text !== undefined) {
    add('text', scale.textMax > 0 ? Math.max(0, article.text) / scale.textMax : 0, 'match of the query, over the best match');
  }
  if (viewer.personalised) {
    let best: { topic: string; from: string; level: number } | null = null;
    for (const t of article.topics) {
      const level = viewer.interests[t.topic] ?? 0;
      if (level > (best?.level ?? 0)) best = { ...t, level };
    }
    add('interest', best?.level ?? 0, best ? `interest in ${best.from} "${best.topic}"` : 'no interest in its topics');
    const constraints = audienceConstraints(article.audience);
    add(
      'audience',
      Math.min(constraints, AUDIENCE_SPECIFICITY_CAP) / AUDIENCE_SPECIFICITY_CAP,
      constraints === 0
        ? 'written for everyone'
        : `written for readers like this one (${constraints} constraint${constraints === 1 ? '' : 's'})`,
    );
    const peer = viewer.peers.get(article.id);
    add(
      'peers',
      peer?.value ?? 0,
      peer
        ? `${peer.people} people with ${peer.trait.key} = ${peer.trait.value} found it helpful`
        : `no group of at least ${PEERS_MIN_PEOPLE} people like this one found it helpful`,
    );
  }
  add(
    'team',
    scale.teamSpan > 0 ? 1 - article.teamIndex / scale.teamSpan : 1,
    `place ${article.teamIndex + 1} in the team's order${searching ? ' (with a query, it only breaks ties)' : ''}`,
  );
  const score = round(parts.reduce((sum, p) => sum + weightOf(p.signal) * p.value, 0));
  return { article, score, signals: parts };
}

/** A collection as {@link orderCollections} sees it. */
export interface RankedCollection {
  id: string;
  topic: string | null;
  pinned: boolean;
  /** 0-based place in the team's order. */
  teamIndex: number;
}

/**
 * Collections for a viewer: pinned ones keep their place in the team's
 * order; the others fill the remaining places by the viewer's interest in
 * them, the team's order breaking ties (and deciding alone when
 * personalisation is off).
 */
export function orderCollections<C extends RankedCollection>(
  collections: C[],
  viewer: Pick<ViewerSignals, 'personalised' | 'interests'>,
): C[] {
  const team = [...collections].sort((a, b) => a.teamIndex - b.teamIndex);
  if (!viewer.personalised) return team;
  const level = (c: C) => (c.topic === null ? 0 : (viewer.interests[c.topic] ?? 0));
  const free = team.filter((c) => !c.pinned).sort((a, b) => level(b) - level(a) || a.teamIndex - b.teamIndex);
  let next = 0;
  return team.map((c) => (c.pinned ? c : free[next++]!));
}

function branches(operand: ConditionValue): Condition[] {
  return Array.isArray(operand) ? operand.filter((c): c is Condition => c !== null && typeof c === 'object' && !Array.isArray(c)) : [];
}

// Whether a field's operand selects readers: a value (not null) or operators not all of which exclude.
function selects(operand: ConditionValue): boolean {
  if (operand === null) return false;
  if (typeof operand !== 'object' || Array.isArray(operand)) return true;
  const operators = Object.keys(operand);
  if (operators.length === 0 || !operators.every((op) => op.startsWith('$'))) return true;
  return operators.some((op) => !EXCLUDING_OPERATORS.has(op) && !(op === '$exists' && operand[op] === false));
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
