import { describe, expect, it } from 'vitest';
import { decayedScore, interestLevel, INTEREST_SATURATION, levelAt, topicKey } from './interest-math.js';

describe('interest math', () => {
  it('halves a score every half-life', () => {
    const day = 86_400_000;
    expect(decayedScore(8, 0, 30 * day, 30)).toBeCloseTo(4, 10);
    expect(decayedScore(8, 0, 60 * day, 30)).toBeCloseTo(2, 10);
    // A clock behind the row never inflates it.
    expect(decayedScore(8, 10 * day, 0, 30)).toBe(8);
  });

  it('maps a decayed score to a 0–1 level, ½ at saturation', () => {
    expect(interestLevel(0)).toBe(0);
    expect(interestLevel(-1)).toBe(0);
    expect(interestLevel(INTEREST_SATURATION)).toBeCloseTo(0.5, 10);
    expect(interestLevel(1000)).toBeLessThanOrEqual(1);
    expect(levelAt(INTEREST_SATURATION * 2, 0, 30 * 86_400_000, 30)).toBeCloseTo(0.5, 10);
  });

  it('normalises topic keys so collections and tags meet', () => {
    expect(topicKey('Billing')).toBe('billing');
    expect(topicKey('  Single sign-on (SSO) ')).toBe('single-sign-on-sso');
    expect(topicKey('Café')).toBe('cafe');
    expect(topicKey('!!!')).toBeNull();
    expect(topicKey('__proto__')).toBeNull();
    expect(topicKey('__Proto__ ')).toBeNull();
    expect(topicKey('x'.repeat(100))).toHaveLength(64);
  });
});
