import { describe, expect, it } from 'vitest';
import { ConditionError, type Condition } from './condition.js';
import { compileCondition } from './compile-condition.js';
import { evaluateCondition } from './evaluate-condition.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const matches = (condition: Condition, attributes: Record<string, unknown>) => compileCondition(condition)(attributes, NOW);

// One row per case: condition, attributes, expected. "missing" rows have no
// such attribute; "null" rows have it set to null.
const CASES: Array<[string, Condition, Record<string, unknown>, boolean]> = [
  ['implicit string equality', { plan: 'free' }, { plan: 'free' }, true],
  ['implicit string equality, other value', { plan: 'free' }, { plan: 'pro' }, false],
  ['implicit string equality, missing', { plan: 'free' }, {}, false],
  ['implicit string equality against a number', { seats: '5' }, { seats: 5 }, true],
  ['implicit string equality against a list (joined, as GrowthBook)', { tags: 'a' }, { tags: ['a'] }, true],
  ['implicit number equality against a numeric string', { seats: 5 }, { seats: '5' }, true],
  ['implicit number equality, missing counts as 0 (GrowthBook)', { seats: 0 }, {}, true],
  ['implicit boolean', { beta: true }, { beta: true }, true],
  ['implicit boolean, truthy string', { beta: true }, { beta: 'yes' }, true],
  ['implicit boolean false, missing', { beta: false }, {}, false],
  ['implicit null matches missing', { plan: null }, {}, true],
  ['implicit null matches null', { plan: null }, { plan: null }, true],
  ['implicit null, set', { plan: null }, { plan: '' }, false],
  ['implicit list equality, order matters', { tags: ['a', 'b'] }, { tags: ['b', 'a'] }, false],
  ['$eq is strict', { seats: { $eq: 5 } }, { seats: '5' }, false],
  ['$eq', { seats: { $eq: 5 } }, { seats: 5 }, true],
  ['$ne, missing', { plan: { $ne: 'free' } }, {}, true],
  ['$ne', { plan: { $ne: 'free' } }, { plan: 'free' }, false],
  ['$gt', { seats: { $gt: 5 } }, { seats: 6 }, true],
  ['$gt equal', { seats: { $gt: 5 } }, { seats: 5 }, false],
  ['$gte', { seats: { $gte: 5 } }, { seats: 5 }, true],
  ['$lt', { seats: { $lt: 5 } }, { seats: 4 }, true],
  ['$lte', { seats: { $lte: 5 } }, { seats: 6 }, false],
  ['$gt numeric string against a number', { seats: { $gt: 5 } }, { seats: '8' }, true],
  ['$gt non-numeric string against a number', { seats: { $gt: 5 } }, { seats: 'many' }, false],
  ['$lt missing counts as 0 (GrowthBook)', { seats: { $lt: 5 } }, {}, true],
  ['$gt missing', { seats: { $gt: 5 } }, {}, false],
  ['$gt strings compare as text', { plan: { $gt: 'alpha' } }, { plan: 'beta' }, true],
  ['$gt strings, upper case sorts first', { plan: { $gt: 'alpha' } }, { plan: 'Beta' }, false],
  ['$in', { plan: { $in: ['free', 'trial'] } }, { plan: 'trial' }, true],
  ['$in, missing', { plan: { $in: ['free', 'trial'] } }, {}, false],
  ['$in with null in the list matches missing', { plan: { $in: ['free', null] } }, {}, true],
  ['$in on a list attribute: any shared element', { tags: { $in: ['x', 'b'] } }, { tags: ['a', 'b'] }, true],
  ['$in is type-strict', { seats: { $in: [5] } }, { seats: '5' }, false],
  ['$in empty list', { plan: { $in: [] } }, { plan: 'free' }, false],
  ['$in long list', { n: { $in: Array.from({ length: 20 }, (_, i) => i) } }, { n: 17 }, true],
  ['$nin, missing', { plan: { $nin: ['free'] } }, {}, true],
  ['$nin', { plan: { $nin: ['free'] } }, { plan: 'free' }, false],
  ['$nin on a list attribute', { tags: { $nin: ['a'] } }, { tags: ['b', 'a'] }, false],
  ['$ini ignores case', { plan: { $ini: ['FREE'] } }, { plan: 'Free' }, true],
  ['$nini ignores case', { plan: { $nini: ['FREE'] } }, { plan: 'free' }, false],
  ['$all', { tags: { $all: ['a', 'b'] } }, { tags: ['b', 'c', 'a'] }, true],
  ['$all missing one', { tags: { $all: ['a', 'b'] } }, { tags: ['a'] }, false],
  ['$all on a non-list', { tags: { $all: ['a'] } }, { tags: 'a' }, false],
  ['$alli ignores case', { tags: { $alli: ['A'] } }, { tags: ['a'] }, true],
  ['$exists true', { plan: { $exists: true } }, { plan: '' }, true],
  ['$exists true, null', { plan: { $exists: true } }, { plan: null }, false],
  ['$exists false, missing', { plan: { $exists: false } }, {}, true],
  ['$regex', { name: { $regex: '^Ada' } }, { name: 'Ada Lovelace' }, true],
  ['$regex is case-sensitive', { name: { $regex: '^ada' } }, { name: 'Ada' }, false],
  ['$regexi', { name: { $regexi: '^ADA' } }, { name: 'ada' }, true],
  ['$regexi with a class range', { name: { $regexi: '^[a-c]+$' } }, { name: 'CAB' }, true],
  ['$regexi with a negated class', { name: { $regexi: '^[^a]+$' } }, { name: 'A' }, false],
  ['$regex tests numbers as text', { seats: { $regex: '^1\\d$' } }, { seats: 12 }, true],
  ['$type string', { plan: { $type: 'string' } }, { plan: 'x' }, true],
  ['$type array', { tags: { $type: 'array' } }, { tags: [] }, true],
  ['$type null, missing', { plan: { $type: 'null' } }, {}, true],
  ['$size', { tags: { $size: 2 } }, { tags: ['a', 'b'] }, true],
  ['$size with an operator', { tags: { $size: { $gt: 2 } } }, { tags: ['a', 'b'] }, false],
  ['$size on a non-list', { tags: { $size: 1 } }, { tags: 'a' }, false],
  ['$elemMatch with an operator', { tags: { $elemMatch: { $regex: '^be' } } }, { tags: ['alpha', 'beta'] }, true],
  ['$elemMatch with a condition on objects', { items: { $elemMatch: { kind: 'x' } } }, { items: [{ kind: 'y' }, { kind: 'x' }] }, true],
  ['$elemMatch with a condition, string elements', { tags: { $elemMatch: { length: 1 } } }, { tags: ['a'] }, false],
  ['$not on a value', { plan: { $not: { $in: ['free', 'trial'] } } }, { plan: 'pro' }, true],
  ['$not on a value, missing', { plan: { $not: 'free' } }, {}, true],
  ['$veq ignores v and build', { version: { $veq: '1.2.3' } }, { version: 'v1.2.3+build.7' }, true],
  ['$vgt 1.10 after 1.9', { version: { $vgt: '1.9.0' } }, { version: '1.10.0' }, true],
  ['$vgt release after its pre-release', { version: { $vgt: '2.0.0-beta.1' } }, { version: '2.0.0' }, true],
  ['$vlt missing counts as 0', { version: { $vlt: '1.0.0' } }, {}, true],
  ['$vgte', { version: { $vgte: '2.0.0' } }, { version: '1.99.0' }, false],
  ['$vne', { version: { $vne: '2.0.0' } }, { version: '2.0.0' }, false],
  ['$vlte', { version: { $vlte: '2.0.0' } }, { version: '2.0.0-rc.1' }, true],
  ['$before relative', { signedUpAt: { $before: '-30d' } }, { signedUpAt: '2026-09-01' }, true],
  ['$before relative, recent', { signedUpAt: { $before: '-30d' } }, { signedUpAt: '2026-11-20T08:00:00Z' }, false],
  ['$after relative', { signedUpAt: { $after: '-30d' } }, { signedUpAt: '2026-11-20T08:00:00Z' }, true],
  ['$after absolute', { signedUpAt: { $after: '2026-01-01' } }, { signedUpAt: '2026-03-01' }, true],
  ['$after with a zone', { signedUpAt: { $after: '2026-11-22T13:00:00+02:00' } }, { signedUpAt: '2026-11-22T11:30:00Z' }, true],
  ['$before epoch milliseconds', { signedUpAt: { $before: NOW } }, { signedUpAt: NOW - 1 }, true],
  ['$before, missing', { signedUpAt: { $before: '+1d' } }, {}, false],
  ['$before, not a date', { signedUpAt: { $before: '+1d' } }, { signedUpAt: 'yesterday' }, false],
  ['$before, impossible day', { signedUpAt: { $before: '+1d' } }, { signedUpAt: '2026-02-31' }, false],
  ['$age', { birthday: { $age: { $gte: 18 } } }, { birthday: '2008-11-22' }, true],
  ['$age, day before the birthday', { birthday: { $age: { $gte: 18 } } }, { birthday: '2008-11-23' }, false],
  ['$age exact', { birthday: { $age: 36 } }, { birthday: '1990-06-15' }, true],
  ['$age, missing never matches (not even $lt)', { birthday: { $age: { $lt: 18 } } }, {}, false],
  ['$age, future birthday', { birthday: { $age: { $lt: 18 } } }, { birthday: '2030-01-01' }, false],
  ['dotted path', { 'account.size': { $gte: 50 } }, { account: { size: 80 } }, true],
  ['dotted path through a non-object', { 'account.size': 1 }, { account: 'acme' }, false],
  ['several fields: all must hold', { plan: 'free', role: 'admin' }, { plan: 'free', role: 'member' }, false],
  ['$and', { $and: [{ plan: 'free' }, { role: 'admin' }] }, { plan: 'free', role: 'admin' }, true],
  ['$and empty', { $and: [] }, {}, true],
  ['$or', { $or: [{ plan: 'free' }, { role: 'admin' }] }, { plan: 'pro', role: 'admin' }, true],
  ['$or empty passes (GrowthBook)', { $or: [] }, {}, true],
  ['$nor', { $nor: [{ plan: 'free' }, { role: 'admin' }] }, { plan: 'pro', role: 'member' }, true],
  ['$nor empty fails (GrowthBook)', { $nor: [] }, {}, false],
  ['$not', { $not: { plan: 'free' } }, { plan: 'free' }, false],
  ['empty condition', {}, {}, true],
  ['inherited members are not attributes', { hasOwnProperty: { $exists: true } }, {}, false],
];

describe('compileCondition', () => {
  it.each(CASES)('%s', (_name, condition, attributes, expected) => {
    expect(matches(condition, attributes)).toBe(expected);
  });

  it('inlines saved segments, refuses unknown ones and cycles', () => {
    const segments: Record<string, Condition> = {
      seg_admins: { role: { $in: ['admin', 'owner'] } },
      seg_paying_admins: { $segment: 'seg_admins', plan: { $ne: 'free' } },
      seg_loop_a: { $segment: 'seg_loop_b' },
      seg_loop_b: { $or: [{ plan: 'x' }, { $segment: 'seg_loop_a' }] },
    };
    const segment = (id: string) => segments[id];
    const paying = compileCondition({ $segment: 'seg_paying_admins' }, { segment });
    expect(paying({ role: 'owner', plan: 'pro' })).toBe(true);
    expect(paying({ role: 'owner', plan: 'free' })).toBe(false);
    expect(() => compileCondition({ $segment: 'seg_missing' }, { segment })).toThrow(
      /there is no saved segment seg_missing in this workspace/,
    );
    expect(() => compileCondition({ $segment: 'seg_loop_a' }, { segment })).toThrow(/seg_loop_a → seg_loop_b → seg_loop_a/);
  });

  it('refuses an invalid condition with every located issue', () => {
    try {
      compileCondition({ plan: { $in: 'free' }, $or: [{ seats: { $gt: [1] } }] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConditionError);
      expect((error as ConditionError).issues.map((i) => i.path)).toEqual(['plan.$in', '$or[0].seats.$gt']);
    }
  });

  it('takes the time from `now`, or the clock', () => {
    const recent = compileCondition({ signedUpAt: { $after: '-1h' } });
    expect(recent({ signedUpAt: new Date(NOW - 30 * 60_000).toISOString() }, NOW)).toBe(true);
    expect(recent({ signedUpAt: new Date(NOW - 30 * 60_000).toISOString() }, NOW + 3_600_000)).toBe(false);
    expect(recent({ signedUpAt: new Date(Date.now() - 60_000).toISOString() })).toBe(true);
  });
});

describe('evaluateCondition', () => {
  it('compiles once per condition object', () => {
    const condition = { plan: 'free' };
    expect(evaluateCondition(condition, { plan: 'free' })).toBe(true);
    expect(evaluateCondition(condition, { plan: 'pro' })).toBe(false);
    expect(() => evaluateCondition({ plan: { $bogus: 1 } }, {})).toThrow(ConditionError);
  });
});
