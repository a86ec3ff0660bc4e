import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors/error-codes.js';
import type { ValidationIssue, ValidationResult } from './validation-result.js';
import { type PropertiesInput, PropertyLimits, isPropertyKey, validateProperties } from './properties.js';

function accepted(input: unknown, field?: string): PropertiesInput {
  const result = validateProperties(input, field);
  if (!result.ok) throw new Error(`expected the properties to be accepted, got: ${result.issue.message}`);
  return result.value;
}

function rejected(result: ValidationResult<PropertiesInput>, code: ErrorCode): ValidationIssue {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  expect(result.issue.code).toBe(code);
  return result.issue;
}

/** An object with `count` distinct valid keys. */
function manyKeys(count: number, prefix = 'key_'): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, i]));
}

describe('validateProperties', () => {
  describe('allowed values', () => {
    const cases: Array<[string, unknown]> = [
      ['a string', 'pro'],
      ['an empty string', ''],
      ['an integer', 42],
      ['zero', 0],
      ['a negative fraction', -1.5],
      ['a huge finite number', Number.MAX_VALUE],
      ['true', true],
      ['false', false],
      ['an ISO date', '2024-05-10'],
      ['an ISO date-time', '2024-05-10T12:34:56.789Z'],
      ['a list of strings', ['admin', 'beta']],
      ['an empty list', []],
      ['a list with an empty string', ['']],
      ['null (unset)', null],
    ];
    for (const [label, value] of cases) {
      it(`accepts ${label} and returns it unchanged`, () => {
        expect(accepted({ plan: value })).toEqual({ plan: value });
      });
    }

    it('keeps an ISO date as the string that was sent', () => {
      const value = accepted({ signed_up: '2024-05-10T12:00:00Z' });
      expect(value.signed_up).toBe('2024-05-10T12:00:00Z');
    });

    it('keeps null so that the key is unset, distinct from an absent key', () => {
      const value = accepted({ plan: null, seats: 3 });
      expect(Object.keys(value).sort()).toEqual(['plan', 'seats']);
      expect(value.plan).toBeNull();
    });

    it('accepts a mix of every type at once', () => {
      const input = { plan: 'pro', seats: 3, trial: false, renews: '2025-01-01', roles: ['admin'], legacy: null };
      expect(accepted(input)).toEqual(input);
    });

    it('keeps -0 as a number', () => {
      expect(Object.is(accepted({ n: -0 }).n, -0)).toBe(true);
    });
  });

  describe('absent and non-object input', () => {
    it('treats undefined and null as no properties', () => {
      expect(accepted(undefined)).toEqual({});
      expect(accepted(null)).toEqual({});
    });

    it('accepts an empty object', () => {
      expect(accepted({})).toEqual({});
    });

    it('accepts an object without a prototype', () => {
      const input = Object.assign(Object.create(null) as Record<string, unknown>, { plan: 'pro' });
      expect(accepted(input)).toEqual({ plan: 'pro' });
    });

    const cases: Array<[string, unknown, string]> = [
      ['a string', 'plan=pro', 'a string'],
      ['a number', 42, 'a number'],
      ['a boolean', true, 'a boolean'],
      ['an array', [['plan', 'pro']], 'an array'],
      ['an empty array', [], 'an array'],
    ];
    for (const [label, input, described] of cases) {
      it(`rejects ${label} with invalid_property naming the field`, () => {
        const issue = rejected(validateProperties(input), 'invalid_property');
        expect(issue.details).toEqual({ field: 'properties' });
        expect(issue.message).toContain('properties must be an object');
        expect(issue.message).toContain(described);
      });
    }

    it('names the field it was given', () => {
      const issue = rejected(validateProperties('x', 'traits'), 'invalid_property');
      expect(issue.details).toEqual({ field: 'traits' });
      expect(issue.message).toMatch(/^traits must be an object/);
    });

    it('defaults the field to "properties"', () => {
      const issue = rejected(validateProperties({ a: {} }), 'invalid_property');
      expect(issue.details?.field).toBe('properties');
    });
  });

  describe('rejected values name the key', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['a nested object', { name: 'Acme' }, /nested objects are not allowed/],
      ['an empty object', {}, /nested objects are not allowed/],
      ['a Date object', new Date('2024-05-10'), /nested objects are not allowed/],
      ['a list of numbers', [1, 2], /only strings.*a number/],
      ['a list with a null', ['a', null], /only strings.*null/],
      ['a list with an object', ['a', { b: 1 }], /only strings.*an object/],
      ['a list of lists', [['a']], /only strings.*an array/],
      ['a list of booleans', [true], /only strings.*a boolean/],
      ['NaN', Number.NaN, /finite number/],
      ['Infinity', Number.POSITIVE_INFINITY, /finite number/],
      ['-Infinity', Number.NEGATIVE_INFINITY, /finite number/],
      ['undefined', undefined, /"company"/],
      ['a bigint', 10n, /"company"/],
      ['a function', () => 1, /"company"/],
      ['a symbol', Symbol('x'), /"company"/],
    ];
    for (const [label, value, message] of cases) {
      it(`rejects ${label} with invalid_property and details.key`, () => {
        const issue = rejected(validateProperties({ plan: 'pro', company: value }), 'invalid_property');
        expect(issue.details).toEqual({ field: 'properties', key: 'company' });
        expect(issue.message).toContain('"company"');
        expect(issue.message).toMatch(message);
      });
    }

    it('suggests how to flatten a nested object', () => {
      const issue = rejected(validateProperties({ company: { name: 'Acme' } }), 'invalid_property');
      expect(issue.message).toContain('company_name');
    });

    it('rejects a sparse list (its holes are not strings)', () => {
      const sparse: string[] = [];
      sparse[2] = 'a';
      const issue = rejected(validateProperties({ tags: sparse }), 'invalid_property');
      expect(issue.details).toEqual({ field: 'properties', key: 'tags' });
    });

    it('reports the field it was given alongside the key', () => {
      const issue = rejected(validateProperties({ company: { name: 'Acme' } }, 'profile.traits'), 'invalid_property');
      expect(issue.details).toEqual({ field: 'profile.traits', key: 'company' });
    });
  });

  describe('keys', () => {
    const allowed = [
      'plan',
      'Plan',
      'plan_tier',
      'plan-tier',
      '$plan',
      '_internal',
      '-dash',
      'utm:source',
      'first name',
      '123',
      'Ünïcödé',
      '数字',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '__proto',
      'proto__',
      'Constructor',
      'prototypes',
    ];
    for (const key of allowed) {
      it(`allows the key ${JSON.stringify(key)}`, () => {
        const value = accepted({ [key]: 'x' });
        expect(Object.keys(value)).toEqual([key]);
        expect(value[key]).toBe('x');
      });
    }

    const forbidden: Array<[string, string]> = [
      ['constructor', 'constructor'],
      ['prototype', 'prototype'],
      ['a dotted key', 'company.name'],
      ['a leading dot', '.plan'],
      ['a trailing dot', 'plan.'],
      ['the empty key', ''],
      ['a leading space', ' plan'],
      ['a leading colon', ':plan'],
      ['a slash', 'plan/tier'],
      ['brackets', 'roles[0]'],
      ['a quote', 'plan"'],
      ['a newline', 'plan\ntier'],
      ['a tab', 'plan\ttier'],
      ['an emoji', 'plan🦄'],
    ];
    for (const [label, key] of forbidden) {
      it(`rejects ${label} as invalid_property naming the key`, () => {
        const issue = rejected(validateProperties({ [key]: 'x' }), 'invalid_property');
        expect(issue.details).toEqual({ field: 'properties', key });
        expect(issue.message).toContain(`"${key}"`);
      });
    }

    it('rejects __proto__ as an own key from JSON.parse', () => {
      const input = JSON.parse('{"plan":"pro","__proto__":{"isAdmin":true}}') as unknown;
      const issue = rejected(validateProperties(input), 'invalid_property');
      expect(issue.details).toEqual({ field: 'properties', key: '__proto__' });
      expect(issue.message).toContain('__proto__');
    });

    it('rejects __proto__ with a scalar value from JSON.parse', () => {
      const issue = rejected(validateProperties(JSON.parse('{"__proto__": 1}')), 'invalid_property');
      expect(issue.details).toEqual({ field: 'properties', key: '__proto__' });
    });

    it('rejects __proto__ as a computed own key', () => {
      const issue = rejected(validateProperties({ ['__proto__']: 'x' }), 'invalid_property');
      expect(issue.details).toEqual({ field: 'properties', key: '__proto__' });
    });

    it('rejects constructor and prototype from JSON.parse', () => {
      for (const key of ['constructor', 'prototype']) {
        const issue = rejected(validateProperties(JSON.parse(`{"${key}": "x"}`)), 'invalid_property');
        expect(issue.details).toEqual({ field: 'properties', key });
      }
    });

    it('does not pollute Object.prototype', () => {
      validateProperties(JSON.parse('{"__proto__":{"polluted":true}}'));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('explains which keys are allowed', () => {
      const issue = rejected(validateProperties({ 'company.name': 'x' }), 'invalid_property');
      expect(issue.message).toMatch(/no dots/);
    });

    it('ignores symbol keys', () => {
      expect(accepted({ plan: 'pro', [Symbol('hidden')]: 1 })).toEqual({ plan: 'pro' });
    });
  });

  describe('PropertyLimits, at the edge', () => {
    describe('maxKeys', () => {
      it(`accepts exactly ${PropertyLimits.maxKeys} keys`, () => {
        const value = accepted(manyKeys(PropertyLimits.maxKeys));
        expect(Object.keys(value)).toHaveLength(PropertyLimits.maxKeys);
      });

      it(`rejects ${PropertyLimits.maxKeys + 1} keys with limit and actual`, () => {
        const issue = rejected(validateProperties(manyKeys(PropertyLimits.maxKeys + 1)), 'property_limit_exceeded');
        // No single key is at fault, so details name only the field.
        expect(issue.details).toEqual({ field: 'properties', limit: PropertyLimits.maxKeys, actual: PropertyLimits.maxKeys + 1 });
        expect(issue.message).toContain(String(PropertyLimits.maxKeys));
        expect(issue.message).toContain(String(PropertyLimits.maxKeys + 1));
      });

      it('counts keys that unset (null) too', () => {
        const input = Object.fromEntries(Array.from({ length: PropertyLimits.maxKeys + 1 }, (_, i) => [`k${i}`, null]));
        rejected(validateProperties(input), 'property_limit_exceeded');
      });
    });

    describe('maxKeyLength', () => {
      it(`accepts a key of exactly ${PropertyLimits.maxKeyLength} characters`, () => {
        const key = 'k'.repeat(PropertyLimits.maxKeyLength);
        expect(accepted({ [key]: 1 })).toEqual({ [key]: 1 });
      });

      it(`rejects a key of ${PropertyLimits.maxKeyLength + 1} characters`, () => {
        const key = 'k'.repeat(PropertyLimits.maxKeyLength + 1);
        const issue = rejected(validateProperties({ [key]: 1 }), 'property_limit_exceeded');
        expect(issue.details).toEqual({ field: 'properties', key, limit: PropertyLimits.maxKeyLength, actual: key.length });
        expect(issue.message).toContain(key);
        expect(issue.message).toContain(String(PropertyLimits.maxKeyLength));
      });

      it('does not echo a huge key in full', () => {
        const key = 'k'.repeat(10_000);
        const issue = rejected(validateProperties({ [key]: 1 }), 'property_limit_exceeded');
        expect(issue.details).toMatchObject({ limit: PropertyLimits.maxKeyLength, actual: 10_000 });
        expect(String(issue.details?.key).length).toBeLessThan(200);
        expect(issue.message.length).toBeLessThan(400);
      });

      it('checks the length before the key pattern', () => {
        const key = `a.${'k'.repeat(PropertyLimits.maxKeyLength)}`;
        rejected(validateProperties({ [key]: 1 }), 'property_limit_exceeded');
      });
    });

    describe('maxStringLength', () => {
      it(`accepts a string of exactly ${PropertyLimits.maxStringLength} characters`, () => {
        const value = 's'.repeat(PropertyLimits.maxStringLength);
        expect(accepted({ bio: value })).toEqual({ bio: value });
      });

      it(`rejects a string of ${PropertyLimits.maxStringLength + 1} characters`, () => {
        const issue = rejected(validateProperties({ bio: 's'.repeat(PropertyLimits.maxStringLength + 1) }), 'property_limit_exceeded');
        expect(issue.details).toEqual({
          field: 'properties',
          key: 'bio',
          limit: PropertyLimits.maxStringLength,
          actual: PropertyLimits.maxStringLength + 1,
        });
        expect(issue.message).toContain('"bio"');
        expect(issue.message).toContain(String(PropertyLimits.maxStringLength));
      });
    });

    describe('maxListLength', () => {
      it(`accepts a list of exactly ${PropertyLimits.maxListLength} items`, () => {
        const list = Array.from({ length: PropertyLimits.maxListLength }, (_, i) => `tag${i}`);
        expect(accepted({ tags: list })).toEqual({ tags: list });
      });

      it(`rejects a list of ${PropertyLimits.maxListLength + 1} items`, () => {
        const list = Array.from({ length: PropertyLimits.maxListLength + 1 }, (_, i) => `tag${i}`);
        const issue = rejected(validateProperties({ tags: list }), 'property_limit_exceeded');
        expect(issue.details).toEqual({
          field: 'properties',
          key: 'tags',
          limit: PropertyLimits.maxListLength,
          actual: PropertyLimits.maxListLength + 1,
        });
        expect(issue.message).toContain('"tags"');
      });
    });

    describe('maxListItemLength', () => {
      it(`accepts a list item of exactly ${PropertyLimits.maxListItemLength} characters`, () => {
        const list = ['short', 'i'.repeat(PropertyLimits.maxListItemLength)];
        expect(accepted({ tags: list })).toEqual({ tags: list });
      });

      it(`rejects a list item of ${PropertyLimits.maxListItemLength + 1} characters`, () => {
        const list = ['short', 'i'.repeat(PropertyLimits.maxListItemLength + 1)];
        const issue = rejected(validateProperties({ tags: list }), 'property_limit_exceeded');
        expect(issue.details).toEqual({
          field: 'properties',
          key: 'tags',
          limit: PropertyLimits.maxListItemLength,
          actual: PropertyLimits.maxListItemLength + 1,
        });
        expect(issue.message).toContain('"tags"');
      });

      it('applies the item limit, not the string limit, to list items', () => {
        expect(PropertyLimits.maxListItemLength).toBeLessThan(PropertyLimits.maxStringLength);
        const item = 'i'.repeat(PropertyLimits.maxListItemLength + 1);
        expect(accepted({ bio: item })).toEqual({ bio: item });
        rejected(validateProperties({ tags: [item] }), 'property_limit_exceeded');
      });
    });

    it('reports the field it was given', () => {
      const issue = rejected(
        validateProperties({ bio: 's'.repeat(PropertyLimits.maxStringLength + 1) }, 'traits'),
        'property_limit_exceeded',
      );
      expect(issue.details?.field).toBe('traits');
    });
  });

  describe('the result', () => {
    it('is a copy: changing it does not change the input', () => {
      const input = { plan: 'pro' };
      const value = accepted(input);
      value.plan = 'free';
      expect(input.plan).toBe('pro');
    });

    it('does not mutate a frozen input', () => {
      const input = Object.freeze({ plan: 'pro', tags: Object.freeze(['a']) });
      expect(accepted(input)).toEqual({ plan: 'pro', tags: ['a'] });
    });

    it('keeps a key named like an Object.prototype method as plain data', () => {
      const value = accepted(JSON.parse('{"hasOwnProperty":"x","toString":"y"}'));
      expect(Object.prototype.hasOwnProperty.call(value, 'hasOwnProperty')).toBe(true);
      expect(value.toString).toBe('y');
    });

    it('survives a JSON round trip', () => {
      const input = { plan: 'pro', seats: 3, trial: false, roles: ['a', 'b'], legacy: null };
      expect(JSON.parse(JSON.stringify(accepted(input)))).toEqual(input);
    });
  });
});

describe('validateProperties — fixed bugs', () => {
  it('refuses non-plain objects (Map, Date) instead of reading them as empty', () => {
    for (const input of [new Map([['plan', 'pro']]), new Date()]) {
      const result = validateProperties(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issue.code).toBe('invalid_property');
    }
  });

  it('refuses unpaired surrogates in values and list items (PostgreSQL jsonb would reject them later)', () => {
    for (const input of [{ a: '\uD800' }, { a: ['ok', '\uDC00x'] }]) {
      const result = validateProperties(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issue).toMatchObject({ code: 'invalid_property', details: { key: 'a' } });
    }
  });

  it('counts characters in code points, so 600 emoji are 600 characters', () => {
    const result = validateProperties({ bio: '🦄'.repeat(1025) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.message).toContain('1025 characters');
    expect(validateProperties({ bio: '🦄'.repeat(1024) }).ok).toBe(true);
  });

  it('says a non-JSON value is not a JSON value rather than advising to flatten it', () => {
    const result = validateProperties({ a: undefined as never });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.message).toMatch(/not a JSON value/);
  });
});

describe('isPropertyKey', () => {
  it('accepts exactly the keys validateProperties accepts (a list of keys, like browser-visible keys, follows the same rules)', () => {
    const keys = [
      'plan',
      'internal_risk_score',
      'Kundennummer',
      'a b:c-$',
      '$x',
      '-x',
      '数字',
      'x'.repeat(64),
      '𝒜'.repeat(64),
      'x'.repeat(65),
      '𝒜'.repeat(65),
      '',
      ' plan',
      'a.b',
      'a/b',
      '__proto__',
      'constructor',
      'prototype',
      'a\nb',
    ];
    for (const key of keys) expect(isPropertyKey(key), key).toBe(validateProperties({ [key]: 1 }).ok);
    expect(keys.filter(isPropertyKey)).toEqual(keys.slice(0, 9));
  });
});
