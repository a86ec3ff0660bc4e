import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ValidationIssue, ValidationResult } from './validation-result.js';
import { describeType, MAX_USER_ID_LENGTH, normalizeUserId } from './user-id.js';

interface Vector {
  name: string;
  userId: string | number;
  message: string;
}

// NOTE: shared with every signing implementation; `message` is the exact string
// that gets signed, so it must also be what normalizeUserId returns.
const vectorsUrl = new URL('../../test-vectors/user-id-signatures.json', import.meta.url);
const { vectors } = JSON.parse(readFileSync(vectorsUrl, 'utf8')) as { vectors: Vector[] };

const UNICORN = '🦄'; // 1 code point, 2 UTF-16 units
const FAMILY = '👩‍👩‍👧'; // 5 code points (3 emoji + 2 ZWJ), 8 UTF-16 units, 1 grapheme

function accepted(input: unknown): string {
  const result = normalizeUserId(input);
  if (!result.ok) throw new Error(`expected ${String(input)} to be accepted, got: ${result.issue.message}`);
  return result.value;
}

function rejected(result: ValidationResult<string>): ValidationIssue {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  expect(result.issue.code).toBe('invalid_user_id');
  expect(result.issue.details).toEqual({ field: 'userId' });
  expect(result.issue.message).toContain('userId');
  return result.issue;
}

describe('normalizeUserId', () => {
  describe('shared signing vectors', () => {
    it('has the vectors to check', () => {
      expect(vectors.length).toBeGreaterThanOrEqual(12);
    });

    for (const vector of vectors) {
      it(`normalises "${vector.name}" to the signed message`, () => {
        expect(accepted(vector.userId)).toBe(vector.message);
      });
    }
  });

  describe('strings are kept exactly', () => {
    const kept = [
      'user_123',
      '  user_123  ',
      ' leading',
      'trailing ',
      '\tuser\n',
      'User_ABC',
      '007',
      '0',
      '42.0',
      '1e3',
      'josé.müller',
      '山田太郎',
      `user_${UNICORN}`,
      'e\u0301', // decomposed é: not normalised to NFC
    ];
    for (const id of kept) {
      it(`keeps ${JSON.stringify(id)} as is`, () => {
        expect(accepted(id)).toBe(id);
      });
    }

    it('never trims, because the signature covers the exact bytes', () => {
      expect(accepted('  user_123  ')).not.toBe(accepted('user_123'));
      expect(accepted('  user_123  ')).toHaveLength(12);
    });

    it('accepts a single character', () => {
      expect(accepted('a')).toBe('a');
    });

    it('accepts a string of spaces only (it is not empty)', () => {
      expect(accepted('   ')).toBe('   ');
    });
  });

  describe('safe integers become their decimal string', () => {
    const cases: Array<[number, string]> = [
      [0, '0'],
      [-0, '0'],
      [42, '42'],
      [-7, '-7'],
      [1e15, '1000000000000000'],
      [Number.MAX_SAFE_INTEGER, '9007199254740991'],
      [Number.MIN_SAFE_INTEGER, '-9007199254740991'],
    ];
    for (const [input, expected] of cases) {
      it(`turns ${Object.is(input, -0) ? '-0' : input} into "${expected}"`, () => {
        expect(accepted(input)).toBe(expected);
      });
    }

    it('gives a number and its decimal string the same userId', () => {
      expect(accepted(42)).toBe(accepted('42'));
    });
  });

  describe('length is counted in code points, at most 255', () => {
    it('exports the limit of DESIGN.md', () => {
      expect(MAX_USER_ID_LENGTH).toBe(255);
    });

    it('accepts 255 ASCII characters', () => {
      const id = 'a'.repeat(255);
      expect(accepted(id)).toBe(id);
    });

    it('accepts 254 ASCII characters and an emoji (255 code points, 256 UTF-16 units)', () => {
      const id = `${'x'.repeat(254)}${UNICORN}`;
      expect(id).toHaveLength(256);
      expect(accepted(id)).toBe(id);
    });

    it('accepts 255 emoji (510 UTF-16 units)', () => {
      const id = UNICORN.repeat(255);
      expect(id).toHaveLength(510);
      expect(accepted(id)).toBe(id);
    });

    it('counts code points, not graphemes: 51 ZWJ families are 255 code points', () => {
      const id = FAMILY.repeat(51);
      expect([...id]).toHaveLength(255);
      expect(accepted(id)).toBe(id);
      rejected(normalizeUserId(`${id}x`));
    });

    const tooLong: Array<[string, string]> = [
      ['256 ASCII characters', 'a'.repeat(256)],
      ['255 ASCII characters and an emoji', `${'x'.repeat(255)}${UNICORN}`],
      ['256 emoji', UNICORN.repeat(256)],
      ['a very long string', 'a'.repeat(100_000)],
    ];
    for (const [label, id] of tooLong) {
      it(`rejects ${label}`, () => {
        expect(rejected(normalizeUserId(id)).message).toContain('255');
      });
    }
  });

  describe('rejected strings', () => {
    it('rejects the empty string', () => {
      expect(rejected(normalizeUserId('')).message).toMatch(/empty/);
    });

    const unpaired: Array<[string, string]> = [
      ['a lone high surrogate at the end', 'user_\uD800'],
      ['a lone low surrogate at the start', '\uDC00user'],
      ['a lone surrogate on its own', '\uD83E'],
      ['a surrogate pair in the wrong order', 'user_\uDD84\uD83E'],
      ['a lone surrogate inside 255 code points', `\uD800${'a'.repeat(254)}`],
    ];
    for (const [label, id] of unpaired) {
      it(`rejects ${label}`, () => {
        expect(rejected(normalizeUserId(id)).message).toMatch(/surrogate|Unicode/);
      });
    }
  });

  describe('rejected values of other types', () => {
    const cases: Array<[string, unknown]> = [
      ['a fraction', 1.5],
      ['a negative fraction', -0.5],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['-Infinity', Number.NEGATIVE_INFINITY],
      ['2 ** 53 (first unsafe integer)', 2 ** 53],
      ['-(2 ** 53)', -(2 ** 53)],
      ['1e21', 1e21],
      ['null', null],
      ['undefined', undefined],
      ['an object', { id: 'user_123' }],
      ['an object with toString', { toString: () => 'user_123' }],
      ['a String object', new String('user_123')],
      ['an empty array', []],
      ['an array of one string', ['user_123']],
      ['true', true],
      ['false', false],
      ['a bigint', 42n],
      ['a symbol', Symbol('user')],
      ['a function', () => 'user_123'],
      ['a Date', new Date(0)],
    ];
    for (const [label, input] of cases) {
      it(`rejects ${label}`, () => {
        rejected(normalizeUserId(input));
      });
    }

    it('tells the caller to send an unsafe number as a string', () => {
      expect(rejected(normalizeUserId(2 ** 53)).message).toMatch(/safe integer/);
      expect(rejected(normalizeUserId(2 ** 53)).message).toMatch(/string/);
    });

    it('names the type it got', () => {
      expect(rejected(normalizeUserId(null)).message).toContain('null');
      expect(rejected(normalizeUserId([])).message).toContain('an array');
      expect(rejected(normalizeUserId({})).message).toContain('an object');
      expect(rejected(normalizeUserId(true)).message).toContain('a boolean');
      expect(rejected(normalizeUserId(undefined)).message).toContain('undefined');
    });
  });

  it('never throws', () => {
    const inputs: unknown[] = [Symbol('x'), 10n, Object.create(null), new Proxy({}, {}), '\uD800', 'a'.repeat(1e6)];
    for (const input of inputs) {
      expect(() => normalizeUserId(input)).not.toThrow();
    }
  });
});

describe('describeType', () => {
  const cases: Array<[string, unknown, string]> = [
    ['null', null, 'null'],
    ['an empty array', [], 'an array'],
    ['a plain object', {}, 'an object'],
    ['a Date', new Date(0), 'an object'],
    ['a string', 'x', 'a string'],
    ['a number', 1, 'a number'],
    ['a boolean', true, 'a boolean'],
  ];
  for (const [label, value, expected] of cases) {
    it(`describes ${label} as "${expected}"`, () => {
      expect(describeType(value)).toBe(expected);
    });
  }
});
