import { describe, expect, it } from 'vitest';
import type { ValidationIssue, ValidationResult } from './validation-result.js';
import { Genders, isGender } from './genders.js';
import { STANDARD_TRAITS, type StandardTraits, validateStandardTraits } from './profile.js';

// A fixed clock so that "future" and "today" do not depend on when the tests run.
const NOW = new Date('2024-06-15T12:00:00Z');

function accepted(input: unknown, now = NOW): StandardTraits {
  const result = validateStandardTraits(input as StandardTraits, now);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to be accepted, got: ${result.issue.message}`);
  return result.value;
}

function rejected(result: ValidationResult<StandardTraits>, field: keyof StandardTraits): ValidationIssue {
  if (result.ok) throw new Error(`expected a rejection of ${field}, got ${JSON.stringify(result.value)}`);
  expect(result.issue.code).toBe('invalid_profile');
  expect(result.issue.details).toEqual({ field });
  expect(result.issue.message).toContain(field);
  return result.issue;
}

function check(input: unknown, now = NOW): ValidationResult<StandardTraits> {
  return validateStandardTraits(input as StandardTraits, now);
}

describe('validateStandardTraits', () => {
  it('accepts an empty profile', () => {
    expect(accepted({})).toEqual({});
  });

  it('accepts all four traits together', () => {
    const input = { name: 'Ada Lovelace', email: 'ada@example.com', birthday: '1990-12-10', gender: Genders.Female };
    expect(accepted(input)).toEqual(input);
  });

  it('leaves out traits that were not sent', () => {
    const value = accepted({ name: 'Ada' });
    expect(Object.keys(value)).toEqual(['name']);
  });

  it('drops keys that are not standard traits', () => {
    expect(accepted({ name: 'Ada', plan: 'pro' })).toEqual({ name: 'Ada' });
  });

  it('keeps null so that each trait can be unset', () => {
    const input = { name: null, email: null, birthday: null, gender: null };
    expect(accepted(input)).toEqual(input);
  });

  it('does not mutate a frozen input', () => {
    const input = Object.freeze({ name: 'Ada', email: 'ada@example.com' });
    expect(accepted(input)).toEqual({ name: 'Ada', email: 'ada@example.com' });
  });

  describe('name', () => {
    it('accepts a name of exactly 255 characters', () => {
      const name = 'n'.repeat(255);
      expect(accepted({ name })).toEqual({ name });
    });

    it('rejects a name of 256 characters', () => {
      expect(rejected(check({ name: 'n'.repeat(256) }), 'name').message).toContain('255');
    });

    it('keeps the name exactly as sent', () => {
      expect(accepted({ name: '  Ada  Lovelace ' })).toEqual({ name: '  Ada  Lovelace ' });
      expect(accepted({ name: '山田 太郎' })).toEqual({ name: '山田 太郎' });
    });

    const wrongTypes: Array<[string, unknown]> = [
      ['a number', 42],
      ['a boolean', true],
      ['an object', { first: 'Ada' }],
      ['an array', ['Ada']],
    ];
    for (const [label, name] of wrongTypes) {
      it(`rejects ${label}`, () => {
        expect(rejected(check({ name }), 'name').message).toContain(label);
      });
    }
  });

  describe('email', () => {
    const valid = [
      'a@b.co',
      'ada@example.com',
      'ada.lovelace+lumio@example.com',
      'ADA@EXAMPLE.COM',
      'ada@mail.example.co.uk',
      'josé@exämple.de',
    ];
    for (const email of valid) {
      it(`accepts ${email}`, () => {
        expect(accepted({ email })).toEqual({ email });
      });
    }

    const invalid: Array<[string, unknown]> = [
      ['the empty string', ''],
      ['no @', 'ada.example.com'],
      ['nothing before @', '@example.com'],
      ['nothing after @', 'ada@'],
      ['no dot in the domain', 'ada@example'],
      ['a dot only at the end of the domain', 'ada@example.'],
      ['two @', 'ada@home@example.com'],
      ['a space inside', 'ada lovelace@example.com'],
      ['a leading space', ' ada@example.com'],
      ['a trailing space', 'ada@example.com '],
      ['a trailing newline', 'ada@example.com\n'],
      ['a display name', 'Ada <ada@example.com>'],
      ['a number', 42],
      ['an object', { address: 'ada@example.com' }],
      ['a list', ['ada@example.com']],
    ];
    for (const [label, email] of invalid) {
      it(`rejects ${label}`, () => {
        expect(rejected(check({ email }), 'email').message).toContain('name@example.com');
      });
    }

    it('accepts an email of exactly 320 characters', () => {
      const email = `${'a'.repeat(320 - '@example.com'.length)}@example.com`;
      expect(email).toHaveLength(320);
      expect(accepted({ email })).toEqual({ email });
    });

    it('rejects an email of 321 characters', () => {
      const email = `${'a'.repeat(321 - '@example.com'.length)}@example.com`;
      rejected(check({ email }), 'email');
    });
  });

  describe('birthday', () => {
    const valid: Array<[string, string]> = [
      ['an ordinary date', '1990-01-31'],
      ['29 February of a leap year', '2000-02-29'],
      ['29 February of the current leap year', '2024-02-29'],
      ['the first day of 1900', '1900-01-01'],
      ['the last day of a month', '1999-12-31'],
      ['yesterday', '2024-06-14'],
      ['today', '2024-06-15'],
    ];
    for (const [label, birthday] of valid) {
      it(`accepts ${label} (${birthday})`, () => {
        expect(accepted({ birthday })).toEqual({ birthday });
      });
    }

    const invalid: Array<[string, unknown]> = [
      ['30 February', '2023-02-30'],
      ['29 February of a common year', '2023-02-29'],
      ['29 February 1900 (not a leap year)', '1900-02-29'],
      ['31 April', '2023-04-31'],
      ['month 13', '2023-13-01'],
      ['month 00', '2023-00-10'],
      ['day 00', '2023-01-00'],
      ['day 32', '2023-01-32'],
      ['the last day before 1900', '1899-12-31'],
      ['a two-digit year made four digits', '0050-01-01'],
      ['tomorrow', '2024-06-16'],
      ['a far-future date', '2999-01-01'],
      ['a one-digit month', '1990-1-31'],
      ['a one-digit day', '1990-01-1'],
      ['a day-first date', '31/01/1990'],
      ['slashes', '1990/01/31'],
      ['no separators', '19900131'],
      ['a date-time', '1990-01-31T00:00:00Z'],
      ['a leading space', ' 1990-01-31'],
      ['a trailing newline', '1990-01-31\n'],
      ['a five-digit year', '01990-01-31'],
      ['full-width digits', '１９９０-01-31'],
      ['the empty string', ''],
      ['a timestamp', 631_152_000_000],
      ['a Date object', new Date('1990-01-31')],
      ['a boolean', true],
    ];
    for (const [label, birthday] of invalid) {
      it(`rejects ${label}`, () => {
        expect(rejected(check({ birthday }), 'birthday').message).toContain('YYYY-MM-DD');
      });
    }

    it('decides "future" against the clock it is given', () => {
      rejected(check({ birthday: '2024-06-15' }, new Date('2024-06-14T23:59:59Z')), 'birthday');
      expect(accepted({ birthday: '2024-06-15' }, new Date('2024-06-15T00:00:00Z'))).toEqual({ birthday: '2024-06-15' });
    });

    it('uses the real clock by default', () => {
      expect(validateStandardTraits({ birthday: '1990-01-31' }).ok).toBe(true);
      expect(validateStandardTraits({ birthday: `${new Date().getUTCFullYear() + 1}-01-01` }).ok).toBe(false);
    });
  });

  describe('gender', () => {
    it('offers exactly the values of DESIGN.md', () => {
      expect(Object.values(Genders).sort()).toEqual(['Female', 'Male', 'Other', 'PreferNotToSay']);
      for (const [key, value] of Object.entries(Genders)) expect(value).toBe(key);
    });

    for (const gender of Object.values(Genders)) {
      it(`accepts ${gender}`, () => {
        expect(accepted({ gender })).toEqual({ gender });
      });
    }

    const invalid: Array<[string, unknown]> = [
      ['lowercase', 'female'],
      ['uppercase', 'MALE'],
      ['a spaced label', 'Prefer not to say'],
      ['an unknown value', 'Unknown'],
      ['the empty string', ''],
      ['an Object.prototype name', 'toString'],
      ['constructor', 'constructor'],
      ['__proto__', '__proto__'],
      ['a number', 1],
      ['a list', ['Female']],
    ];
    for (const [label, gender] of invalid) {
      it(`rejects ${label}`, () => {
        const issue = rejected(check({ gender }), 'gender');
        for (const value of Object.values(Genders)) expect(issue.message).toContain(value);
      });
    }
  });

  it('reports the first invalid trait in display order', () => {
    const issue = rejected(check({ gender: 'x', birthday: 'x', email: 'x', name: 42 }), 'name');
    expect(issue.details).toEqual({ field: 'name' });
    rejected(check({ gender: 'x', birthday: 'x', email: 'x' }), 'email');
    rejected(check({ gender: 'x', birthday: 'x' }), 'birthday');
  });

  it('lists the standard traits in display order', () => {
    expect(STANDARD_TRAITS).toEqual(['name', 'email', 'birthday', 'gender']);
  });
});

describe('isGender', () => {
  it('is true for each value of Genders', () => {
    for (const gender of Object.values(Genders)) expect(isGender(gender)).toBe(true);
  });

  it('is false for anything else', () => {
    for (const value of ['female', 'hasOwnProperty', '__proto__', '', null, undefined, 0, {}, ['Male']]) {
      expect(isGender(value)).toBe(false);
    }
  });
});

describe('validateStandardTraits — fixed bugs', () => {
  it('counts name length in code points and says the length', () => {
    expect(validateStandardTraits({ name: '🦄'.repeat(255) }).ok).toBe(true);
    const result = validateStandardTraits({ name: '🦄'.repeat(256) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issue.message).toContain('256 characters');
  });

  it('refuses unpaired surrogates in name and email', () => {
    expect(validateStandardTraits({ name: 'a\uD800' }).ok).toBe(false);
    expect(validateStandardTraits({ email: 'a\uD800@example.com' }).ok).toBe(false);
  });
});
