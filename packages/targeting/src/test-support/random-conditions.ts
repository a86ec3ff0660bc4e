// Seeded random users and conditions for differential tests: the compiled
// predicate against GrowthBook's evaluator here, and (server side) SQL
// against the predicate. Values are drawn from small pools so that matches,
// near misses, type mismatches and missing attributes all come up often.
import type { Attributes, Condition, ConditionValue } from '../condition/condition.js';

/** A small, fast, seeded PRNG (mulberry32), so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLANS = ['free', 'pro', 'Pro', 'team', 'enterprise', ''];
const ROLES = ['admin', 'owner', 'member', 'ADMIN'];
const NUMBERS = [0, 1, 5, 10, 99, 100, -3, 2.5];
const NUMERIC_STRINGS = ['5', '10', '0', ' 7 ', '1e2', 'abc'];
const TAGS = ['a', 'b', 'c', 'beta', 'A'];
const VERSIONS = ['1.0.0', '1.2.3', 'v2.0.0', '2.0.0-beta.1', '10.0', '1.10.0', '0.9'];
const DATES = ['2026-01-15', '2025-11-01', '2026-11-20T10:00:00Z', '1990-06-15', '2010-02-28', 'not a date'];
const NAMES = ['Ada', 'ada lovelace', 'Grace', 'GRACE HOPPER', 'acme-bot'];

// 'lumio' also draws from these: the corners of JavaScript's coercions (Number("0x1A"),
// String(1e21)), dates V8 refuses, versions with build metadata, and non-ASCII text,
// where SQL translations of the language are most likely to go wrong.
const WIDE_NUMBERS = [1e21, 1.5e-7, 123456789012, -0.5, 0.1];
const WIDE_NUMERIC_STRINGS = ['0x1A', '.5', '5.', '-0', 'Infinity', '-Infinity', '\t8\n', '1e400', '+3', '0b11', '1_000', '  ', '\u00a09'];
const WIDE_PLANS = ['Émile', 'ÉVA', 'éva', 'straße', 'ΟΔΟΣ', 'οδος', 'İstanbul', 'a,b', 'null', 'true'];
const WIDE_TAGS = ['É', 'é', 'a,b', '5', 'true', 'ΣΑ'];
const WIDE_VERSIONS = ['1.0.0+build.5', 'v1.2', '', '1.0.0-rc.1', '2.0', 'v', '1.2.3.4'];
const WIDE_DATES = [
  '2026-02-30',
  '2026-11-20T24:00:00Z',
  '2026-11-20T10:00:00.5+01:00',
  '2026-11-20T10:00:00.123456Z',
  '0001-01-01',
  '2026-11-20T10:00Z',
];
const WIDE_PATTERNS = [
  '\\bad',
  '^\\w+$',
  '[^a-z]',
  '\\s',
  'a{2}',
  '(a|b)c',
  'é',
  '[à-ÿ]',
  '^.{3}$',
  '1,',
  'true',
  '^-?\\d+(\\.\\d+)?$',
  '\\D',
  'É',
  '^$|x',
  'e\\+2',
  '\\Bd',
];

/** The attribute names the generators use, with what kind of value each holds. */
export const RANDOM_ATTRIBUTES = ['plan', 'role', 'seats', 'score', 'beta', 'tags', 'version', 'signedUpAt', 'birthday', 'name'] as const;
/** With 'lumio', conditions also read these: traits, userId and trust, and paths into lists. */
export const WIDE_ATTRIBUTES = ['email', 'gender', 'userId', 'trust', 'tags.length', 'tags.0', 'tags.1.x'] as const;

/** Topics of the generated interest profiles; `none` is a topic nobody has (level 0 for everyone). */
export const INTEREST_TOPICS = ['billing', 'api', 'getting-started'] as const;
/** With 'lumio', conditions also read interest levels (a Lumio extension: see interests.ts). */
export const INTEREST_ATTRIBUTES = [...INTEREST_TOPICS, 'none'].map((topic) => `interests.${topic}`);
// Levels to compare with: the edges (0, 1), ½ (which a score of SATURATION points gives exactly) and others.
const LEVELS = [0, 0.05, 0.2, 0.25, 0.5, 0.75, 0.9, 1];
// Stored scores (points as of updated_at) and ages (days before now; negative: written after now).
const SCORES = [0, 0.5, 1, 3, 4, 8, 20, 200];
const AGES_IN_DAYS = [0, 1, 7, 14, 28, 90, 400, -1];

/** Company attributes a condition may read (the Lumio extension `company.<key>`: some company of the user). */
export const COMPANY_ATTRIBUTES = [
  'company.id',
  'company.name',
  'company.plan',
  'company.seats',
  'company.tags',
  'company.tags.0',
  'company.beta',
] as const;
/** Ids of the generated companies. */
export const COMPANY_IDS = ['acme', 'globex', 'initech', 'umbrella', 'free'] as const;

/** A random company's values: properties drawn like a user's, and a name from the same pool. */
export function randomCompanyValues(random: () => number): { name: string | null; properties: Attributes } {
  const { name, ...properties } = randomAttributes(random, 'lumio');
  return { name: typeof name === 'string' ? name : null, properties };
}

/** One generated row of an interest profile, as `interest_scores` holds it. */
export interface RandomInterestRow {
  topic: string;
  score: number;
  updatedAt: number;
}

/** A random interest profile: some of {@link INTEREST_TOPICS}, each with a score and the time it was last updated. */
export function randomInterestRows(random: () => number, now: number): RandomInterestRow[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const rows: RandomInterestRow[] = [];
  for (const topic of INTEREST_TOPICS) {
    if (random() < 0.35) continue;
    // Half the time a round score and age (exact edges such as level ½), else anything in range.
    const score = random() < 0.5 ? pick(SCORES) : Math.round(random() * 40_000) / 1000;
    const age = random() < 0.5 ? pick(AGES_IN_DAYS) * 86_400_000 : Math.floor(random() * 120 * 86_400_000);
    rows.push({ topic, score, updatedAt: now - age });
  }
  return rows;
}

/** Random attributes; 'lumio' widens the pools of values (see WIDE_*), 'growthbook' keeps to GrowthBook's ground. */
export function randomAttributes(random: () => number, variety: OperatorSet = 'growthbook'): Attributes {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const wide = variety === 'lumio';
  const pool = <T>(base: readonly T[], extra: readonly T[]): readonly T[] => (wide ? [...base, ...extra] : base);
  const maybe = (make: () => unknown): unknown => {
    const roll = random();
    return roll < 0.12 ? undefined : roll < 0.18 ? null : make();
  };
  const numbers = pool(NUMBERS, WIDE_NUMBERS);
  const numericStrings = pool(NUMERIC_STRINGS, WIDE_NUMERIC_STRINGS);
  const dates = pool<string | number>(DATES, wide ? [...WIDE_DATES, 1_700_000_000_000, -8.7e15] : []);
  const attributes: Attributes = {
    plan: maybe(() => pick(pool(PLANS, WIDE_PLANS))),
    role: maybe(() => pick(ROLES)),
    seats: maybe(() => (random() < 0.8 ? pick(numbers) : pick(numericStrings))),
    score: maybe(() => (random() < 0.7 ? pick(numbers) : random() < 0.5 ? pick(numericStrings) : random() < 0.5)),
    beta: maybe(() => (random() < 0.8 ? random() < 0.5 : pick(['true', 'false', 0, 1]))),
    tags: maybe(() => Array.from({ length: Math.floor(random() * 4) }, () => pick(pool(TAGS, WIDE_TAGS)))),
    version: maybe(() => pick(pool<string | number>(VERSIONS, wide ? [...WIDE_VERSIONS, 2, 1.5] : []))),
    signedUpAt: maybe(() => pick(dates)),
    birthday: maybe(() => pick(dates.filter((d) => typeof d === 'string' && d.length === 10))),
    name: maybe(() => pick(pool(NAMES, WIDE_PLANS))),
  };
  for (const key of Object.keys(attributes)) if (attributes[key] === undefined) delete attributes[key];
  return attributes;
}

/**
 * Which operators a generated condition may use: GrowthBook's own, or ours as well ($before, $after, $age).
 * GrowthBook's saved-group operators ($inGroup, $notInGroup, $savedGroup) are never generated: Lumio refuses
 * them at validation (docs/targeting.md, "What is refused"), so there is no answer to compare.
 */
export type OperatorSet = 'growthbook' | 'lumio';

/**
 * A random condition. `extra`: more attribute paths to draw from with
 * 'lumio' (such as {@link COMPANY_ATTRIBUTES}); without it the draws are the
 * same as ever, so a recorded seed replays the same conditions.
 */
export function randomCondition(random: () => number, operators: OperatorSet, depth = 0, extra: readonly string[] = []): Condition {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const roll = random();
  if (depth < 2 && roll < 0.25) {
    const logical = pick(['$and', '$or', '$nor', '$not'] as const);
    if (logical === '$not') return { $not: randomCondition(random, operators, depth + 1, extra) };
    const count = Math.floor(random() * 3) + (random() < 0.1 ? 0 : 1);
    return { [logical]: Array.from({ length: count }, () => randomCondition(random, operators, depth + 1, extra)) };
  }
  const condition: Condition = {};
  const fields = 1 + Math.floor(random() * 2);
  const attributes: readonly string[] =
    operators === 'lumio' ? [...RANDOM_ATTRIBUTES, ...WIDE_ATTRIBUTES, ...INTEREST_ATTRIBUTES, ...extra] : RANDOM_ATTRIBUTES;
  for (let i = 0; i < fields; i++) {
    const attribute = pick(attributes);
    condition[attribute] = randomValueCondition(random, attribute, operators);
  }
  return condition;
}

function randomValueCondition(random: () => number, attribute: string, operators: OperatorSet): ConditionValue {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  // An interest level is a number 0–1: mostly compared as one, now and then as anything else.
  if (attribute.startsWith('interests.') && random() < 0.75) {
    const interestOps: Array<() => ConditionValue> = [
      () => ({ [pick(['$gt', '$gte', '$lt', '$lte'])]: pick(LEVELS) }),
      () => ({ $gte: pick(LEVELS), $lt: pick(LEVELS) }),
      () => pick([0, 1, 0.5]),
      () => ({ [pick(['$eq', '$ne'])]: pick([0, 0.5, 1]) }),
      () => ({ [pick(['$in', '$nin'])]: [0, pick(LEVELS)] }),
      () => ({ $not: { $gte: pick(LEVELS) } }),
    ];
    return pick(interestOps)();
  }
  // A company id now and then, so `company.id` conditions match some users.
  if (attribute === 'company.id' && random() < 0.5) {
    return pick<ConditionValue>([
      pick(COMPANY_IDS),
      { $in: [pick(COMPANY_IDS), pick(COMPANY_IDS)] },
      { $ne: pick(COMPANY_IDS) },
      { $regex: '^[ag]' },
    ]);
  }
  const scalar = (): string | number | boolean | null =>
    pick<string | number | boolean | null>([pick(PLANS), pick(ROLES), pick(NUMBERS), pick(NUMERIC_STRINGS), true, false, null, pick(TAGS)]);
  const comparable = (): string | number => (random() < 0.6 ? pick(NUMBERS) : pick([...NUMERIC_STRINGS, ...PLANS, ...VERSIONS]));
  const ops: Array<() => ConditionValue> = [
    () => scalar(),
    () => ({ $eq: scalar() }),
    () => ({ $ne: scalar() }),
    () => ({ [pick(['$gt', '$gte', '$lt', '$lte'])]: comparable() }),
    () => ({ $gte: pick(NUMBERS), $lt: pick(NUMBERS) }),
    () => ({ [pick(['$in', '$nin', '$ini', '$nini'])]: Array.from({ length: Math.floor(random() * 4) }, scalar) }),
    () => ({ [pick(['$all', '$alli'])]: Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(TAGS)) }),
    () => ({ $exists: random() < 0.5 }),
    () => ({ [pick(['$regex', '$regexi'])]: pick(['^a', 'ro$', 'a|b', '^[A-Z]', '\\d', 'ad.', '^$', 'l+', 'null']) }),
    () => ({ $type: pick(['string', 'number', 'boolean', 'array', 'null', 'object']) }),
    () => ({ $size: random() < 0.5 ? pick([0, 1, 2]) : { $gt: pick([0, 1]) } }),
    () => ({ $elemMatch: random() < 0.5 ? { $eq: pick(TAGS) } : ({ $in: [pick(TAGS), pick(TAGS)] } as ConditionValue) }),
    () => ({ $not: random() < 0.5 ? scalar() : { $in: [pick(PLANS), pick(ROLES)] } }),
    () => ({ [pick(['$veq', '$vne', '$vgt', '$vgte', '$vlt', '$vlte'])]: pick(VERSIONS) }),
    () => [pick(TAGS), pick(TAGS)],
  ];
  if (operators === 'lumio') {
    const wideScalar = (): string | number =>
      pick<string | number>([...WIDE_PLANS, ...WIDE_NUMERIC_STRINGS, ...WIDE_NUMBERS, ...WIDE_TAGS]);
    ops.push(
      () => ({ [pick(['$before', '$after'])]: pick(['-30d', '-365d', '+1d', '2026-01-01', '2025-12-31T23:00:00Z']) }),
      () => ({ $age: random() < 0.5 ? pick([18, 35]) : { [pick(['$gte', '$lt'])]: pick([16, 18, 21, 65]) } }),
      () => ({ $age: pick<ConditionValue>([{ $ne: 16 }, { $nin: [18, 21] }, { $exists: true }, { $not: { $gt: 20 } }]) }),
      () => ({ [pick(['$regex', '$regexi'])]: pick(WIDE_PATTERNS) }),
      () => ({
        [pick(['$in', '$nin', '$ini', '$nini', '$all', '$alli'])]: Array.from({ length: 1 + Math.floor(random() * 3) }, wideScalar),
      }),
      () => (random() < 0.5 ? wideScalar() : { [pick(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte'])]: wideScalar() }),
      () => ({ [pick(['$veq', '$vgt', '$vlte'])]: pick(WIDE_VERSIONS.filter((v) => v !== '')) }),
      () => ({ $elemMatch: random() < 0.5 ? { length: { $gt: 0 } } : ({ $regexi: pick(WIDE_PATTERNS) } as ConditionValue) }),
      () => ({ $size: { $regex: '^[12]$' } }),
      () => ({ $all: [{ $regex: '^[a-c]$' }, pick(TAGS)] }),
    );
  }
  void attribute;
  return pick(ops)();
}
