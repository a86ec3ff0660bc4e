// The simulated readers of bench:relevance. Their needs are a model of their
// own, written without looking at Lumio's ranking weights: what a person
// wants next follows their role (the topics of their job), a few personal
// favourite topics and sub-topics (which their past activity reveals), their
// plan and role (articles written for them are more useful to them), and each
// article's general popularity; one want in five is anything at all (noise).
// The same process draws their past wants (their activity) and the next one
// (hidden, to be found).
import { evaluateCondition } from '@lumio/targeting';
import { TOPICS } from './help-center.js';

/** Topics each role needs more often (three times as often as others). */
export const ROLE_TOPICS = {
  admin: ['billing', 'team', 'security'],
  member: ['projects', 'notifications', 'mobile'],
  developer: ['integrations', 'developer', 'automation'],
};
const PLANS = [
  ['free', 0.5],
  ['pro', 0.35],
  ['enterprise', 0.15],
];
const ROLES = [
  ['admin', 0.25],
  ['member', 0.5],
  ['developer', 0.25],
];
/** How much more a person wants their favourite topics, their favourite sub-topic of a topic, and an article written for them. */
export const NEED_MODEL = { roleTopic: 3, favouriteTopic: 4, favouriteTag: 3, writtenForThem: 3, noise: 0.2, history: 15, historyDays: 60 };

const weighted = (rng, pairs) => {
  let r = rng() * pairs.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of pairs) if ((r -= w) < 0) return value;
  return pairs.at(-1)[0];
};
const pick = (rng, list) => list[Math.floor(rng() * list.length)];

/** `count` people with traits, favourites, a history of wanted articles and the next one. */
export function generatePeople(rng, count, helpCenter) {
  const topics = Object.keys(TOPICS);
  const byTopicTag = new Map();
  for (const a of helpCenter.articles) {
    const key = `${a.topic}/${a.tag}`;
    if (!byTopicTag.has(key)) byTopicTag.set(key, []);
    byTopicTag.get(key).push(a);
  }
  const people = [];
  for (let p = 0; p < count; p++) {
    const plan = weighted(rng, PLANS);
    const role = weighted(rng, ROLES);
    const attributes = { plan, role };
    const favourites = new Set([pick(rng, topics), pick(rng, topics)]);
    const favouriteTag = Object.fromEntries(topics.map((t) => [t, pick(rng, Object.keys(TOPICS[t][1]))]));
    const topicWeights = topics.map((t) => [
      t,
      (ROLE_TOPICS[role].includes(t) ? NEED_MODEL.roleTopic : 1) * (favourites.has(t) ? NEED_MODEL.favouriteTopic : 1),
    ]);
    const readable = (a) => a.audience === null || evaluateCondition(a.audience, attributes);
    const want = (taken) => {
      for (let attempt = 0; attempt < 50; attempt++) {
        let candidates;
        if (rng() < NEED_MODEL.noise) candidates = helpCenter.articles;
        else {
          const topic = weighted(rng, topicWeights);
          const tag = weighted(
            rng,
            Object.keys(TOPICS[topic][1]).map((g) => [g, g === favouriteTag[topic] ? NEED_MODEL.favouriteTag : 1]),
          );
          candidates = byTopicTag.get(`${topic}/${tag}`) ?? [];
        }
        const pairs = candidates
          .filter((a) => readable(a) && !taken.has(a.index))
          .map((a) => [a, a.popularity * (a.audience !== null ? NEED_MODEL.writtenForThem : 1)]);
        if (pairs.length > 0) return weighted(rng, pairs);
      }
      throw new Error('no article left to want');
    };
    const taken = new Set();
    const history = [];
    for (let h = 0; h < NEED_MODEL.history; h++) {
      const article = want(taken);
      taken.add(article.index);
      history.push({
        article,
        ageDays: rng() * NEED_MODEL.historyDays,
        helpful: rng() < 0.35,
        saved: rng() < 0.15,
        searchClick: rng() < 0.4,
      });
    }
    const next = want(taken);
    people.push({ userId: `person-${String(p).padStart(5, '0')}`, attributes, history, next, query: queryFor(rng, next) });
  }
  return people;
}

const COMMON = new Set(
  'how to the your a in and settings change set up use find manage open select click page option help guide learn new'.split(' '),
);
const VERB_WORDS = new Set(['how', 'to', 'set', 'up', 'manage', 'understand', 'fix', 'change', 'use', 'configure']);

/**
 * What a person types for the article they want: one or two words of it (a
 * title word more often than a body word), sometimes with a typo. Short and
 * shared with many articles, as real help searches are.
 */
export function queryFor(rng, article) {
  const titleWords = article.title
    .toLowerCase()
    .split(' ')
    .filter((w) => !VERB_WORDS.has(w));
  const bodyWords = article.body.split(' ').filter((w) => !COMMON.has(w));
  const first = rng() < 0.6 ? pick(rng, titleWords) : pick(rng, bodyWords);
  const words = [first];
  if (rng() < 0.5) {
    const second = pick(rng, bodyWords);
    if (second !== first) words.push(second);
  }
  if (rng() < 0.1) {
    const i = words.findIndex((w) => w.length >= 5);
    if (i >= 0) {
      const w = words[i];
      const at = 1 + Math.floor(rng() * (w.length - 2));
      words[i] = w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
    }
  }
  return words.join(' ');
}
