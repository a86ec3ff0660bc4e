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

/** The attribute names the generators use, with what kind of value each holds. */
export const RANDOM_ATTRIBUTES = ['plan', 'role', 'seats', 'score', 'beta', 'tags', 'version', 'signedUpAt', 'birthday', 'name'] as const;

export function randomAttributes(random: () => number): Attributes {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const maybe = (make: () => unknown): unknown => {
    const roll = random();
    return roll < 0.12 ? undefined : roll < 0.18 ? null : make();
  };
  const attributes: Attributes = {
    plan: maybe(() => pick(PLANS)),
    role: maybe(() => pick(ROLES)),
    seats: maybe(() => (random() < 0.8 ? pick(NUMBERS) : pick(NUMERIC_STRINGS))),
    score: maybe(() => (random() < 0.7 ? pick(NUMBERS) : random() < 0.5 ? pick(NUMERIC_STRINGS) : random() < 0.5)),
    beta: maybe(() => (random() < 0.8 ? random() < 0.5 : pick(['true', 'false', 0, 1]))),
    tags: maybe(() => Array.from({ length: Math.floor(random() * 4) }, () => pick(TAGS))),
    version: maybe(() => pick(VERSIONS)),
    signedUpAt: maybe(() => pick(DATES)),
    birthday: maybe(() => pick(DATES.filter((d) => d.length === 10))),
    name: maybe(() => pick(NAMES)),
  };
  for (const key of Object.keys(attributes)) if (attributes[key] === undefined) delete attributes[key];
  return attributes;
}

/** Which operators a generated condition may use: GrowthBook's own, or ours as well ($before, $after, $age). */
export type OperatorSet = 'growthbook' | 'lumio';

export function randomCondition(random: () => number, operators: OperatorSet, depth = 0): Condition {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const roll = random();
  if (depth < 2 && roll < 0.25) {
    const logical = pick(['$and', '$or', '$nor', '$not'] as const);
    if (logical === '$not') return { $not: randomCondition(random, operators, depth + 1) };
    const count = Math.floor(random() * 3) + (random() < 0.1 ? 0 : 1);
    return { [logical]: Array.from({ length: count }, () => randomCondition(random, operators, depth + 1)) };
  }
  const condition: Condition = {};
  const fields = 1 + Math.floor(random() * 2);
  for (let i = 0; i < fields; i++) {
    const attribute = pick(RANDOM_ATTRIBUTES);
    condition[attribute] = randomValueCondition(random, attribute, operators);
  }
  return condition;
}

function randomValueCondition(random: () => number, attribute: string, operators: OperatorSet): ConditionValue {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
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
    ops.push(
      () => ({ [pick(['$before', '$after'])]: pick(['-30d', '-365d', '+1d', '2026-01-01', '2025-12-31T23:00:00Z']) }),
      () => ({ $age: random() < 0.5 ? pick([18, 35]) : { [pick(['$gte', '$lt'])]: pick([16, 18, 21, 65]) } }),
    );
  }
  void attribute;
  return pick(ops)();
}
