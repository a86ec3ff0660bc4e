import { describe, expect, it } from 'vitest';
import { ConditionLimits } from './condition.js';
import { compileCondition } from './compile-condition.js';
import { validateCondition } from './validate-condition.js';
import { linearRegExpAvailable } from '../regex/safe-pattern.js';

const issues = (input: unknown) => {
  const result = validateCondition(input);
  return result.ok ? [] : result.issues.map((i) => `${i.path} ${i.code}`);
};

describe('validateCondition', () => {
  it('accepts a realistic condition and lists the segments it names', () => {
    const result = validateCondition({
      plan: { $in: ['free', 'trial'] },
      seats: { $gte: 5, $lt: 100 },
      $or: [{ role: 'admin' }, { $segment: 'seg_beta_testers' }],
      signedUpAt: { $after: '-30d' },
    });
    expect(result).toMatchObject({ ok: true, segments: ['seg_beta_testers'] });
  });

  it('refuses code: $where, $function, $expr, and values that are not JSON', () => {
    expect(issues({ $where: 'this.plan == "free"' })).toEqual(['$where unknown_operator']);
    expect(issues({ plan: { $function: {} } })).toEqual(['plan.$function unknown_operator']);
    expect(issues({ $expr: {} })).toEqual(['$expr unknown_operator']);
    expect(issues({ plan: () => true })).toEqual(['plan invalid_operand']);
    expect(issues({ plan: { $eq: new Date(0) } })).toEqual(['plan.$eq invalid_operand']);
    expect(issues({ plan: { $in: [Symbol('x')] } })).toEqual(['plan.$in[0] invalid_operand']);
    expect(issues({ seats: { $gt: Infinity } })).toEqual(['seats.$gt invalid_operand']);
    expect(issues({ plan: new Map() })).toEqual(['plan invalid_operand']);
    expect(issues('plan = free')).toEqual([' invalid_shape']);
    expect(issues([{ plan: 'free' }])).toEqual([' invalid_shape']);
  });

  it('refuses paths into the prototype chain, however they are written', () => {
    // A literal __proto__ key sets the prototype: not a plain object, refused.
    expect(issues({ __proto__: { polluted: true } })).toEqual([' invalid_shape']);
    expect(issues(JSON.parse('{"__proto__": {"$exists": true}}'))).toEqual(['__proto__ invalid_path']);
    expect(issues({ 'a.constructor.prototype': 1 })).toEqual(['a.constructor.prototype invalid_path']);
    expect(issues({ 'company..size': 1 })).toEqual(['company..size invalid_path']);
    expect(issues({ items: { $elemMatch: { 'x.__proto__': 1 } } })).toEqual(['items.$elemMatch.x.__proto__ invalid_path']);
    expect(issues({ tags: ['a', JSON.parse('{"__proto__": 1}')] })).toEqual(['tags invalid_operand']);
  });

  it('names the operator a typo was probably meant to be, in plain words', () => {
    const message = (input: unknown) => {
      const result = validateCondition(input);
      return result.ok ? '' : result.issues[0]!.message;
    };
    expect(message({ seats: { $gtee: 5 } })).toBe(
      '$gtee is not an operator; did you mean $gte? The operators are listed in the targeting guide (docs/targeting.md).',
    );
    expect(message({ plan: { $IN: ['pro'] } })).toMatch(/^\$IN is not an operator; did you mean \$in\?/);
    expect(message({ plan: { $eqq: 'pro' } })).toMatch(/^\$eqq is not an operator; did you mean \$eq\?/);
    expect(message({ plan: { $whatever: 1 } })).toBe(
      '$whatever is not an operator. The operators are listed in the targeting guide (docs/targeting.md).',
    );
  });

  it('names unknown operators and wrong operands where they are', () => {
    expect(issues({ plan: { $regx: 'a' } })).toEqual(['plan.$regx unknown_operator']);
    expect(issues({ $gt: 5 })).toEqual(['$gt unknown_operator']);
    expect(issues({ $or: { plan: 'free' } })).toEqual(['$or invalid_operand']);
    expect(issues({ $or: ['free'] })).toEqual(['$or[0] invalid_shape']);
    expect(issues({ plan: { $exists: 'yes' } })).toEqual(['plan.$exists invalid_operand']);
    expect(issues({ plan: { $type: 'date' } })).toEqual(['plan.$type invalid_operand']);
    expect(issues({ v: { $vgt: 2 } })).toEqual(['v.$vgt invalid_operand']);
    expect(issues({ d: { $before: 'last week' } })).toEqual(['d.$before invalid_operand']);
    expect(issues({ d: { $before: '-30y' } })).toEqual(['d.$before invalid_operand']);
    expect(issues({ birthday: { $age: { $regex: '1' } } })).toEqual(['birthday.$age invalid_operand']);
    expect(issues({ $segment: 'beta testers' })).toEqual(['$segment invalid_operand']);
    expect(issues({ plan: { $savedGroup: 'x' } })).toEqual(['plan.$savedGroup unknown_operator']);
  });

  it('refuses GrowthBook saved groups ($inGroup, $notInGroup, $savedGroup), saying what to write instead', () => {
    const refusal = (input: unknown) => {
      const result = validateCondition(input);
      return result.ok ? 'accepted' : result.issues.map((i) => `${i.path} ${i.code}: ${i.message}`).join('\n');
    };
    for (const op of ['$inGroup', '$notInGroup']) {
      // Where GrowthBook writes them (on an attribute) and at the top of a condition: refused both ways.
      for (const [input, path] of [
        [{ userId: { [op]: 'grp_beta' } }, `userId.${op}`],
        [{ $or: [{ plan: 'pro' }, { id: { [op]: 'grp_beta' } }] }, `$or[1].id.${op}`],
        [{ [op]: 'grp_beta' }, op],
      ] as const) {
        const message = refusal(input);
        expect(message).toMatch(new RegExp(`^${path.replace(/[$.[\]]/g, '\\$&')} unknown_operator: `));
        expect(message).toContain(`${op}: saved groups are not supported`);
        expect(message).toContain('"$segment": "seg_…"');
        expect(message).toContain(op === '$inGroup' ? '"$in": [' : '"$nin": [');
      }
      // An operator the compilers do not know never reaches them: both refuse through validation.
      expect(() => compileCondition({ userId: { [op]: 'grp_beta' } })).toThrow(/saved groups are not supported/);
    }
    expect(refusal({ $savedGroup: { id: 'grp_beta' } })).toMatch(
      /^\$savedGroup unknown_operator: \$savedGroup: saved groups are not supported; use \{ "\$segment"/,
    );
  });

  it('refuses patterns that could not run in linear time, or are not patterns', () => {
    expect(issues({ name: { $regex: '(a)\\1' } })).toEqual(['name.$regex invalid_regex']);
    expect(issues({ name: { $regex: 'a(?=b)' } })).toEqual(['name.$regex invalid_regex']);
    expect(issues({ name: { $regex: '(?<!a)b' } })).toEqual(['name.$regex invalid_regex']);
    expect(issues({ name: { $regex: '[' } })).toEqual(['name.$regex invalid_regex']);
    // Patterns PostgreSQL cannot run exactly are refused here, so SQLite and PostgreSQL agree (a 500 there before).
    expect(issues({ name: { $regexi: '\\ud83d' } })).toEqual(['name.$regexi invalid_regex']);
    expect(issues({ name: { $regex: '[\\ud800-\\udfff]' } })).toEqual(['name.$regex invalid_regex']);
    expect(issues({ name: { $regex: 'a'.repeat(ConditionLimits.maxPatternLength + 1) } })).toEqual(['name.$regex invalid_regex']);
    expect(validateCondition({ name: { $regex: '[' } })).toMatchObject({
      ok: false,
      issues: [{ message: /not a valid regular expression/ }],
    });
  });

  it('bounds size: depth, parts, list lengths and strings', () => {
    let deep: Record<string, unknown> = { plan: 'free' };
    for (let i = 0; i < ConditionLimits.maxDepth + 2; i++) deep = { $not: deep };
    expect(issues(deep)[0]).toMatch(/too_complex$/);
    const wide = { $or: Array.from({ length: 600 }, (_, i) => ({ [`p${i}`]: { $gt: i } })) };
    expect(issues(wide)).toContain('$or[499].p499 too_complex');
    expect(issues({ plan: { $in: Array.from({ length: ConditionLimits.maxListLength + 1 }, String) } })).toEqual(['plan.$in too_complex']);
    expect(issues({ plan: 'x'.repeat(ConditionLimits.maxStringLength + 1) })).toEqual(['plan too_complex']);
  });

  it('refuses strings no stored value can hold: U+0000 and unpaired surrogates', () => {
    expect(issues({ plan: 'pro\u0000' })).toEqual(['plan invalid_operand']);
    expect(issues({ plan: { $in: ['a', '\ud800'] } })).toEqual(['plan.$in[1] invalid_operand']);
    expect(issues({ $or: [{ name: { $ne: 'x\u0000' } }] })).toEqual(['$or[0].name.$ne invalid_operand']);
    expect(issues({ plan: 'pro 😀' })).toEqual([]);
  });
});

describe('user-written patterns cannot stall the server', () => {
  it('runs on the linear-time engine, so catastrophic patterns return at once', () => {
    expect(linearRegExpAvailable()).toBe(true);
    // Each takes exponential or high-polynomial time on a backtracking engine.
    const subject = `${'a'.repeat(1024)}!`;
    for (const pattern of ['(a+)+$', '^(a|a)*$', 'a*a*a*a*a*a*a*b', '^(a|aa)+$', '(x+x+)+y']) {
      for (const op of ['$regex', '$regexi']) {
        const started = process.hrtime.bigint();
        expect(compileCondition({ name: { [op]: pattern } })({ name: subject })).toBe(false);
        // Generous: backtracking would take longer than the age of the universe.
        expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
      }
    }
  });
});
