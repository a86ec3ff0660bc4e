import { describe, expect, it } from 'vitest';
import { describeCondition } from './describe-condition.js';

describe('describeCondition', () => {
  it('says a condition in plain words', () => {
    expect(describeCondition({ plan: 'free', role: { $in: ['admin', 'owner'] } })).toBe('plan is free and role is admin or owner');
    expect(describeCondition({ seats: { $gte: 5, $lt: 100 } })).toBe('seats is at least 5 and is less than 100');
    expect(describeCondition({ $or: [{ plan: 'free' }, { beta: true }] })).toBe('(plan is free or beta is true)');
    expect(describeCondition({ $nor: [{ plan: 'free' }, { role: 'member' }] })).toBe('none of (plan is free; role is member)');
    expect(describeCondition({ $not: { country: { $in: ['US', 'CA', 'GB'] } } })).toBe('not (country is US, CA or GB)');
    expect(describeCondition({ company: null, email: { $exists: true } })).toBe('company is not set and email is set');
    expect(describeCondition({ name: { $regexi: '^acme' } })).toBe('name matches /^acme/ (any case)');
    expect(describeCondition({ tags: { $all: ['beta', 'vip'] }, items: { $size: { $gt: 2 } } })).toBe(
      'tags includes beta and vip and items has a number of items that is greater than 2',
    );
    expect(describeCondition({ appVersion: { $vgte: '2.1.0' } })).toBe('appVersion is version 2.1.0 or later');
    expect(describeCondition({ signedUpAt: { $before: '-30d' }, trialEndsAt: { $after: '+1w' } })).toBe(
      'signedUpAt is before 30 days ago and trialEndsAt is after 1 week from now',
    );
    expect(describeCondition({ renewal: { $before: '2026-12-31' } })).toBe('renewal is before 2026-12-31');
    expect(describeCondition({ birthday: { $age: { $gte: 18 } } })).toBe('birthday gives an age that is at least 18');
    expect(describeCondition({ plan: 'enterprise plus' })).toBe('plan is "enterprise plus"');
    expect(describeCondition({})).toBe('everyone');
  });

  it('names segments by their display name when it knows them', () => {
    const segmentName = (id: string) => (id === 'seg_beta' ? 'Beta testers' : undefined);
    expect(describeCondition({ $segment: 'seg_beta', plan: 'pro' }, { segmentName })).toBe('in segment "Beta testers" and plan is pro');
    expect(describeCondition({ $segment: 'seg_other' }, { segmentName })).toBe('in segment seg_other');
  });
});
