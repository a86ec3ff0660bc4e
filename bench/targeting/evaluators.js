// The evaluators bench:targeting compares, each built for the same condition.
// Every one must count the same matches over the same users, or the run stops.
import { evalCondition } from '@growthbook/growthbook';
import sift from 'sift';
import { Query } from 'mingo';
import jsonLogic from 'json-logic-js';
import { compileCondition } from '@lumio/targeting';

/** The realistic audience: equality + $in + numeric range + $or. */
export const CONDITION = {
  plan: 'pro',
  country: { $in: ['US', 'CA', 'GB'] },
  seats: { $gte: 5, $lt: 100 },
  $or: [{ role: 'admin' }, { beta: true }],
};

/** The same audience as JsonLogic writes it. */
const JSON_LOGIC_RULE = {
  and: [
    { '==': [{ var: 'plan' }, 'pro'] },
    { in: [{ var: 'country' }, ['US', 'CA', 'GB']] },
    { '>=': [{ var: 'seats' }, 5] },
    { '<': [{ var: 'seats' }, 100] },
    { or: [{ '==': [{ var: 'role' }, 'admin'] }, { '===': [{ var: 'beta' }, true] }] },
  ],
};

/** name → () => predicate, built once before timing. */
export const EVALUATORS = {
  // The floor: what a person would write by hand for this one audience.
  'hand-written JS (floor)': () => (u) =>
    u.plan === 'pro' &&
    (u.country === 'US' || u.country === 'CA' || u.country === 'GB') &&
    u.seats >= 5 &&
    u.seats < 100 &&
    (u.role === 'admin' || u.beta === true),
  'Lumio compileCondition': () => compileCondition(CONDITION),
  'GrowthBook evalCondition': () => (u) => evalCondition(u, CONDITION),
  sift: () => sift(CONDITION),
  mingo: () => {
    const query = new Query(CONDITION);
    return (u) => query.test(u);
  },
  'json-logic-js': () => (u) => jsonLogic.apply(JSON_LOGIC_RULE, u),
};

const PLANS = ['free', 'free', 'free', 'pro', 'pro', 'team', 'enterprise'];
const COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU', 'NL'];
const ROLES = ['admin', 'owner', 'member', 'member', 'member'];

/** One million (by default) users shaped like identify profiles: the same keys in the same order, as JSON.parse gives them. */
export function generateUsers(count, seed = 42) {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (items) => items[Math.floor(random() * items.length)];
  const users = new Array(count);
  for (let i = 0; i < count; i++) {
    users[i] = {
      userId: `user_${i}`,
      trust: random() < 0.8 ? 'verified' : 'identified',
      email: `user${i}@example.com`,
      name: `User ${i}`,
      plan: pick(PLANS),
      country: pick(COUNTRIES),
      seats: Math.floor(random() * 300),
      role: pick(ROLES),
      beta: random() < 0.2,
    };
  }
  return users;
}
