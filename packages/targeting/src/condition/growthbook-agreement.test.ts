import { evalCondition } from '@growthbook/growthbook';
import { describe, expect, it } from 'vitest';
import { compileCondition } from './compile-condition.js';
import type { Condition } from './condition.js';
import { randomAttributes, randomCondition, seededRandom } from '../test-support/random-conditions.js';

// GrowthBook's evaluator is the reference for every operator it defines: the
// compiled predicate must give its answer on random conditions and users.
describe('agreement with GrowthBook evalCondition', () => {
  it('gives GrowthBook’s result for 4,000 random conditions × 50 random users', () => {
    const random = seededRandom(20261122);
    let compared = 0;
    let matched = 0;
    for (let c = 0; c < 4000; c++) {
      const condition = randomCondition(random, 'growthbook');
      const predicate = compileCondition(condition);
      for (let u = 0; u < 50; u++) {
        const user = randomAttributes(random);
        const expected = evalCondition(user, condition as never);
        const actual = predicate(user);
        if (actual !== expected) {
          throw new Error(
            `disagrees with GrowthBook (expected ${expected}): condition ${JSON.stringify(condition)} user ${JSON.stringify(user)}`,
          );
        }
        compared++;
        if (actual) matched++;
      }
    }
    // Both outcomes must be common, or the comparison proves little.
    expect(compared).toBe(200_000);
    expect(matched / compared).toBeGreaterThan(0.2);
    expect(matched / compared).toBeLessThan(0.8);
  });

  it('agrees on GrowthBook’s documented edge cases: missing attributes, numbers against numeric strings, type mismatches', () => {
    const cases: Array<[Condition, Record<string, unknown>]> = [
      [{ age: { $gt: -10, $lt: 10, $gte: -9, $lte: 9, $ne: 10 } }, {}],
      [{ n: { $gt: 5, $lt: 10 } }, { n: '8' }],
      [{ n: { $gt: '5', $lt: '10' } }, { n: 8 }],
      [{ word: { $gt: 'alphabet', $lt: 'zebra' } }, { word: 'AZL' }],
      [{ 'address.state': 'CA' }, { address: null }],
      [{ 'address.state': 'CA' }, { address: 123 }],
      [{ 'pets.dog.name': { $in: ['fido'] } }, { hello: 'world' }],
      [{ tags: { $in: ['a', 'b'] } }, { tags: [] }],
      [{ tags: { $nin: ['a', 'b'] } }, { tags: [] }],
      [{ $nor: [] }, {}],
      [{ $or: [] }, {}],
      [{ plan: 'null' }, {}],
      [{ seats: 0 }, {}],
      [{ beta: false }, {}],
      [{ beta: true }, { beta: 'yes' }],
      [{ version: { $vgt: '1.0.0' } }, { version: '1.0.0-rc.1' }],
      [{ version: { $vlt: '1.0.0' } }, {}],
      [{ tags: ['a', 'b'] }, { tags: ['b', 'a'] }],
      [{ name: { $regex: 'ul' } }, {}],
    ];
    for (const [condition, user] of cases) {
      expect(compileCondition(condition)(user), JSON.stringify([condition, user])).toBe(evalCondition(user, condition as never));
    }
  });

  it('differs on purpose in one place: inherited members are not attributes', () => {
    // GrowthBook reads paths with `in`, so Object.prototype's members exist on every user.
    expect(evalCondition({}, { toString: { $exists: true } })).toBe(true);
    expect(compileCondition({ toString: { $exists: true } })({})).toBe(false);
    expect(compileCondition({ 'tags.length': 2 })({ tags: ['a', 'b'] })).toBe(true);
    expect(compileCondition({ 'name.length': 3 })({ name: 'Ada' })).toBe(false);
  });
});
