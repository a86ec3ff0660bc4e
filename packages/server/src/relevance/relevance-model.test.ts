import { describe, expect, it } from 'vitest';
import {
  AUDIENCE_SPECIFICITY_CAP,
  RELEVANCE_WEIGHTS,
  audienceConstraints,
  audienceSpecificity,
  orderCollections,
  rankArticles,
  type RankedArticle,
  type ViewerSignals,
} from './relevance-model.js';
import { peerTraits, MAX_PEER_TRAITS } from './peer-traits.js';

const nobody: ViewerSignals = { personalised: true, interests: {}, peers: new Map() };
const article = (id: string, teamIndex: number, extra: Partial<RankedArticle> = {}): RankedArticle => ({
  id,
  topics: [],
  audience: null,
  teamIndex,
  ...extra,
});

describe('audience specificity', () => {
  it('counts the constraints that select readers, not those that exclude them', () => {
    expect(audienceConstraints(null)).toBe(0);
    expect(audienceConstraints({})).toBe(0);
    expect(audienceConstraints({ plan: 'pro' })).toBe(1);
    expect(audienceConstraints({ plan: 'pro', seats: { $gte: 10 } })).toBe(2);
    expect(audienceConstraints({ $and: [{ plan: 'pro' }, { role: { $in: ['admin'] } }] })).toBe(2);
    expect(audienceConstraints({ $segment: 'seg_1' })).toBe(1);
    // Exclusions, the session's trust and nulls say nothing of who the reader is.
    expect(audienceConstraints({ plan: { $ne: 'free' }, trust: 'verified', role: null, $nor: [{ a: 1 }] })).toBe(0);
    expect(audienceConstraints({ beta: { $exists: false } })).toBe(0);
    expect(audienceConstraints({ beta: { $exists: true } })).toBe(1);
    // Of an $or, the least specific branch: the reader matched at least one.
    expect(audienceConstraints({ $or: [{ plan: 'pro', role: 'admin' }, { plan: 'enterprise' }] })).toBe(1);
  });

  it('is bounded to 0–1', () => {
    expect(audienceSpecificity({ a: 1, b: 2, c: 3, d: 4, e: 5 })).toBe(1);
    expect(audienceSpecificity({ a: 1 })).toBeCloseTo(1 / AUDIENCE_SPECIFICITY_CAP);
    // A deeply nested condition stops counting past the depth bound instead of recursing without end.
    let deep: Record<string, unknown> = { plan: 'pro' };
    for (let i = 0; i < 100; i++) deep = { $and: [deep] };
    expect(audienceConstraints(deep as never)).toBe(0);
  });
});

describe('rankArticles', () => {
  it('keeps the team order when nothing else is known', () => {
    const ranked = rankArticles([article('b', 1), article('c', 2), article('a', 0)], nobody);
    expect(ranked.map((r) => r.article.id)).toEqual(['a', 'b', 'c']);
  });

  it('adds each signal by its weight; the score is the sum of the contributions', () => {
    const viewer: ViewerSignals = {
      personalised: true,
      interests: { billing: 0.5 },
      peers: new Map([['b', { value: 1, people: 7, trait: { key: 'plan', value: 'pro' } }]]),
    };
    const ranked = rankArticles(
      [article('a', 0, { text: 4 }), article('b', 1, { text: 1, topics: [{ topic: 'billing', from: 'tag' }], audience: { plan: 'pro' } })],
      viewer,
    );
    const b = ranked.find((r) => r.article.id === 'b')!;
    const parts = Object.fromEntries(b.signals.map((s) => [s.signal, s.value]));
    expect(parts).toEqual({ text: 0.25, interest: 0.5, audience: expect.closeTo(1 / 3, 5), peers: 1, team: 0 });
    expect(b.score).toBeCloseTo(
      RELEVANCE_WEIGHTS.text * 0.25 + RELEVANCE_WEIGHTS.interest * 0.5 + RELEVANCE_WEIGHTS.audience / 3 + RELEVANCE_WEIGHTS.peers,
      5,
    );
    expect(b.signals.find((s) => s.signal === 'peers')!.detail).toBe('7 people with plan = pro found it helpful');
    // A much better text match still wins over all of b's personal signals together.
    expect(ranked.map((r) => r.article.id)).toEqual(['a', 'b']);
  });

  it('with a query, lets the team order only break ties; in a list, it is a small prior', () => {
    // A text match a hair better beats the team's first article.
    const searched = rankArticles([article('a', 0, { text: 1 }), article('b', 1, { text: 1.001 })], nobody);
    expect(searched.map((r) => r.article.id)).toEqual(['b', 'a']);
    expect(searched[0]!.signals.find((s) => s.signal === 'team')!.weight).toBe(0);
    const tied = rankArticles([article('b', 1, { text: 1 }), article('a', 0, { text: 1 })], nobody);
    expect(tied.map((r) => r.article.id)).toEqual(['a', 'b']);
    const listed = rankArticles([article('a', 0), article('b', 1, { audience: { plan: 'pro' } })], nobody);
    expect(listed.map((r) => r.article.id)).toEqual(['b', 'a']);
    expect(listed[1]!.signals.find((s) => s.signal === 'team')).toMatchObject({ weight: RELEVANCE_WEIGHTS.team, value: 1 });
  });

  it('uses only text and the team order with personalisation off', () => {
    const viewer: ViewerSignals = { personalised: false, interests: { billing: 1 }, peers: new Map() };
    const ranked = rankArticles(
      [article('a', 0, { text: 1 }), article('b', 1, { text: 1, topics: [{ topic: 'billing', from: 'collection' }], audience: { p: 1 } })],
      viewer,
    );
    expect(ranked.map((r) => r.article.id)).toEqual(['a', 'b']);
    expect(ranked[1]!.signals.map((s) => s.signal)).toEqual(['text', 'team']);
  });
});

describe('orderCollections', () => {
  const c = (id: string, teamIndex: number, pinned = false) => ({ id, topic: id, pinned, teamIndex });
  it('orders by interest, pinned collections keeping their place, the team order breaking ties', () => {
    const viewer = { personalised: true, interests: { z: 0.9, y: 0.2 } };
    expect(orderCollections([c('w', 0), c('x', 1), c('y', 2), c('z', 3)], viewer).map((x) => x.id)).toEqual(['z', 'y', 'w', 'x']);
    expect(orderCollections([c('w', 0, true), c('x', 1), c('y', 2), c('z', 3, true)], viewer).map((x) => x.id)).toEqual([
      'w',
      'y',
      'x',
      'z',
    ]);
    expect(orderCollections([c('w', 0), c('z', 1)], { ...viewer, personalised: false }).map((x) => x.id)).toEqual(['w', 'z']);
  });
});

describe('peerTraits', () => {
  it('keeps short strings and booleans, never personal values, and at most a bounded number', () => {
    expect(
      peerTraits({ plan: 'pro', beta: true, seats: 10, email: 'a@b.c', name: 'Ada', userId: 'u', trust: 'verified', bio: 'x'.repeat(65) }),
    ).toEqual([
      { key: 'beta', value: 'true' },
      { key: 'plan', value: 'pro' },
    ]);
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v']));
    expect(peerTraits(many)).toHaveLength(MAX_PEER_TRAITS);
  });
});
