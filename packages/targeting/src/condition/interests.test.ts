import { evalCondition } from '@growthbook/growthbook';
import { describe, expect, it } from 'vitest';
import { compileCondition } from './compile-condition.js';
import type { Condition } from './condition.js';
import { describeCondition } from './describe-condition.js';
import { readsInterests } from './interests.js';
import { validateCondition } from './validate-condition.js';

const issues = (condition: unknown) => {
  const result = validateCondition(condition);
  return result.ok ? [] : result.issues.map((i) => `${i.path} ${i.code}`);
};

describe('interests.<topic>', () => {
  it('reads the level of a topic, 0 for a topic the person has no interest in', () => {
    const user = { plan: 'pro', interests: { billing: 0.7, 'getting-started': 0.1 } };
    expect(compileCondition({ 'interests.billing': { $gte: 0.5 } })(user)).toBe(true);
    expect(compileCondition({ 'interests.getting-started': { $gte: 0.5 } })(user)).toBe(false);
    // Missing topic = 0: "no billing interest" matches people who never read about billing.
    expect(compileCondition({ 'interests.api': { $lt: 0.2 } })(user)).toBe(true);
    expect(compileCondition({ 'interests.api': 0 })(user)).toBe(true);
    expect(compileCondition({ 'interests.api': { $exists: false } })(user)).toBe(false);
    expect(compileCondition({ 'interests.billing': { $lt: 0.2 } })({ plan: 'pro' })).toBe(true);
    expect(compileCondition({ 'interests.billing': { $type: 'number' } })({})).toBe(true);
  });

  it('never reads an inherited member or a level that is not a number', () => {
    expect(compileCondition({ 'interests.billing': { $gt: 0 } })({ interests: Object.create({ billing: 1 }) as object })).toBe(false);
    expect(compileCondition({ 'interests.billing': 0 })({ interests: { billing: '0.9' } })).toBe(true);
    expect(compileCondition({ 'interests.billing': 0 })({ interests: null })).toBe(true);
  });

  it('inside $elemMatch is a path into the element, not an interest', () => {
    const condition = { orders: { $elemMatch: { 'interests.billing': 1 } } };
    expect(validateCondition(condition).ok).toBe(true);
    expect(compileCondition(condition)({ orders: [{ interests: { billing: 1 } }], interests: {} })).toBe(true);
    expect(compileCondition(condition)({ orders: [{}], interests: { billing: 1 } })).toBe(false);
    expect(validateCondition({ orders: { $elemMatch: { interests: 'x' } } }).ok).toBe(true);
  });

  it('is a Lumio extension: GrowthBook agrees where the topic is set, and reads a missing one as null', () => {
    const user = { interests: { billing: 0.7 } };
    expect(compileCondition({ 'interests.billing': { $gt: 0.5 } })(user)).toBe(evalCondition(user, { 'interests.billing': { $gt: 0.5 } }));
    expect(evalCondition({}, { 'interests.billing': { $eq: 0 } })).toBe(false);
    expect(compileCondition({ 'interests.billing': { $eq: 0 } })({})).toBe(true);
  });

  it('refuses a topic that is not a topic key, naming the path', () => {
    expect(issues({ 'interests.Billing': { $gte: 0.5 } })).toEqual(['interests.Billing invalid_topic']);
    expect(issues({ 'interests.billing.x': 1 })).toEqual(['interests.billing.x invalid_topic']);
    expect(issues({ 'interests.a b': 1 })).toEqual(['interests.a b invalid_topic']);
    expect(issues({ 'interests.__proto__': 1 })).toEqual(['interests.__proto__ invalid_topic']);
    expect(issues({ 'interests.': 1 })).toEqual(['interests. invalid_topic']);
    expect(issues({ $or: [{ interests: 1 }] })).toEqual(['$or[0].interests invalid_topic']);
    expect(issues({ [`interests.${'a'.repeat(65)}`]: 1 })).toEqual([`interests.${'a'.repeat(65)} invalid_topic`]);
    expect(issues({ 'interests.billing_2-x': 1, 'interests.a': 1 })).toEqual([]);
    const refused = validateCondition({ $not: { 'interests.Billing': 1 } });
    expect(!refused.ok && refused.issues[0]!.message).toMatch(/"Billing" is not a topic key/);
  });

  it('is described in words', () => {
    expect(describeCondition({ 'interests.billing': { $gte: 0.5 } })).toBe('interest in billing is at least 0.5');
    expect(describeCondition({ plan: 'pro', 'interests.api': { $lt: 0.2 } })).toBe('plan is pro and interest in api is less than 0.2');
    expect(describeCondition({ orders: { $elemMatch: { 'interests.x': 1 } } })).toBe('orders has an item that matches (interests.x is 1)');
  });

  it('readsInterests finds interest paths, through segments too', () => {
    const segments: Record<string, Condition> = {
      seg_a: { 'interests.billing': 1 },
      seg_b: { plan: 'pro' },
      seg_loop: { $segment: 'seg_loop' },
    };
    const segment = (id: string) => segments[id];
    expect(readsInterests({ plan: 'pro' })).toBe(false);
    expect(readsInterests({ $or: [{ plan: 'pro' }, { $not: { 'interests.x': 1 } }] })).toBe(true);
    expect(readsInterests({ $segment: 'seg_a' }, { segment })).toBe(true);
    expect(readsInterests({ $segment: 'seg_b' }, { segment })).toBe(false);
    expect(readsInterests({ $segment: 'seg_loop' }, { segment })).toBe(false);
    expect(readsInterests({ orders: { $elemMatch: { 'interests.x': 1 } } })).toBe(false);
  });
});
