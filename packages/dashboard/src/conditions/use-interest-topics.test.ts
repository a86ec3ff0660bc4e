import { describe, expect, it } from 'vitest';
import { interestPaths } from './use-interest-topics.js';

describe('interest topic suggestions', () => {
  it('suggests interests.<topic> for each help topic, the most used first, at most 200', () => {
    expect(interestPaths([{ topic: 'billing' }, { topic: 'getting-started' }])).toEqual(['interests.billing', 'interests.getting-started']);
    const many = Array.from({ length: 250 }, (_, i) => ({ topic: `t${i}` }));
    expect(interestPaths(many)).toHaveLength(200);
    expect(interestPaths(many)[199]).toBe('interests.t199');
  });
});
