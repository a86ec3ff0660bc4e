import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors/error-codes.js';
import type { ValidationIssue, ValidationResult } from './validation-result.js';
import { type IdentifyPayload, type ProfileFieldError, parseIdentifyPayload } from './identify-payload.js';
import { Genders } from './genders.js';
import { PropertyLimits } from './properties.js';

const NOW = new Date('2024-06-15T12:00:00Z');
const SIGNATURE = '7fb79225df68fd01375d0a475dfa2e76045400ab50a3200fc3ffa9393a68dff0';
const TOKEN = 'eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c2VyXzEyMyJ9.c2lnbmF0dXJl';

function accepted(input: unknown): IdentifyPayload {
  const result = parseIdentifyPayload(input, NOW);
  if (!result.ok) throw new Error(`expected the body to be accepted, got ${result.issue.code}: ${result.issue.message}`);
  return result.value;
}

function rejected(input: unknown, code: ErrorCode): ValidationIssue {
  const result: ValidationResult<IdentifyPayload> = parseIdentifyPayload(input, NOW);
  if (result.ok) throw new Error(`expected a rejection with ${code}, got ${JSON.stringify(result.value)}`);
  expect(result.issue.code).toBe(code);
  return result.issue;
}

/** An identify that still goes through, its profile refused as a whole. */
function profileRefused(input: unknown, code: ErrorCode): ProfileFieldError {
  const value = accepted(input);
  expect(value.traits).toEqual({});
  expect(value.properties).toEqual({});
  expect(value.profileErrors?.[0]?.code).toBe(code);
  return value.profileErrors![0]!;
}

function keys(count: number, prefix: string): Record<string, number> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, i]));
}

describe('parseIdentifyPayload', () => {
  describe('userId', () => {
    it('accepts a bare userId, with empty traits and properties', () => {
      const value = accepted({ userId: 'user_123' });
      expect(value).toEqual({ userId: 'user_123', traits: {}, properties: {} });
      expect(Object.keys(value).sort()).toEqual(['properties', 'traits', 'userId']);
    });

    it('normalises a numeric userId to its decimal string', () => {
      expect(accepted({ userId: 42 }).userId).toBe('42');
      expect(accepted({ userId: Number.MAX_SAFE_INTEGER }).userId).toBe('9007199254740991');
      expect(accepted({ userId: -7 }).userId).toBe('-7');
      expect(accepted({ userId: 0 }).userId).toBe('0');
    });

    it('keeps a string userId exactly, spaces included', () => {
      expect(accepted({ userId: '  user_123  ' }).userId).toBe('  user_123  ');
    });

    const invalid: Array<[string, unknown]> = [
      ['an empty string', ''],
      ['a fraction', 1.5],
      ['an unsafe integer', 2 ** 53],
      ['null', null],
      ['an object', { id: 1 }],
      ['a boolean', true],
      ['256 code points', 'x'.repeat(256)],
      ['an unpaired surrogate', 'user_\uD800'],
    ];
    for (const [label, userId] of invalid) {
      it(`rejects ${label} with invalid_user_id`, () => {
        expect(rejected({ userId }, 'invalid_user_id').details).toEqual({ field: 'userId' });
      });
    }

    it('rejects an invalid userId even when a token is sent', () => {
      rejected({ userId: '', token: TOKEN }, 'invalid_user_id');
      rejected({ userId: 1.5, token: TOKEN }, 'invalid_user_id');
    });

    it('rejects a body with neither userId nor token', () => {
      const issue = rejected({}, 'invalid_user_id');
      expect(issue.details).toEqual({ field: 'userId' });
      expect(issue.message).toMatch(/userId is required/);
      expect(issue.message).toMatch(/token/);
    });

    it('rejects a signature or a profile without a userId', () => {
      rejected({ signature: SIGNATURE }, 'invalid_user_id');
      rejected({ hmac: SIGNATURE }, 'invalid_user_id');
      rejected({ name: 'Ada', properties: { plan: 'pro' } }, 'invalid_user_id');
    });

    it('treats an explicitly undefined userId as absent', () => {
      rejected({ userId: undefined }, 'invalid_user_id');
      expect(accepted({ userId: undefined, token: TOKEN })).not.toHaveProperty('userId');
    });
  });

  describe('token', () => {
    it('accepts a token without a userId (the userId is its sub)', () => {
      const value = accepted({ token: TOKEN });
      expect(value).toEqual({ token: TOKEN, traits: {}, properties: {} });
      expect(value).not.toHaveProperty('userId');
    });

    it('keeps both a userId and a token', () => {
      expect(accepted({ userId: 'user_123', token: TOKEN })).toMatchObject({ userId: 'user_123', token: TOKEN });
    });

    it('accepts a token of 16384 characters and rejects one of 16385', () => {
      expect(accepted({ token: 't'.repeat(16_384) }).token).toHaveLength(16_384);
      expect(rejected({ token: 't'.repeat(16_385) }, 'invalid_request').details).toEqual({ field: 'token' });
    });

    it('rejects a token that is not a string', () => {
      expect(rejected({ userId: 'u', token: 42 }, 'invalid_request').details).toEqual({ field: 'token' });
      expect(rejected({ userId: 'u', token: null }, 'invalid_request').details).toEqual({ field: 'token' });
    });
  });

  describe('signature and its alias hmac', () => {
    it('keeps a signature', () => {
      expect(accepted({ userId: 'user_123', signature: SIGNATURE }).signature).toBe(SIGNATURE);
    });

    it('turns hmac into signature', () => {
      const value = accepted({ userId: 'user_123', hmac: SIGNATURE });
      expect(value.signature).toBe(SIGNATURE);
      expect(value).not.toHaveProperty('hmac');
    });

    it('accepts signature and hmac when they are equal', () => {
      expect(accepted({ userId: 'user_123', signature: SIGNATURE, hmac: SIGNATURE }).signature).toBe(SIGNATURE);
    });

    it('rejects signature and hmac that differ', () => {
      const issue = rejected({ userId: 'user_123', signature: SIGNATURE, hmac: SIGNATURE.replace('7', '8') }, 'invalid_request');
      expect(issue.details).toEqual({ field: 'hmac' });
      expect(issue.message).toMatch(/signature/);
      expect(issue.message).toMatch(/hmac/);
    });

    it('has no signature when none was sent', () => {
      expect(accepted({ userId: 'user_123' })).not.toHaveProperty('signature');
    });

    it('accepts 512 characters and rejects 513', () => {
      expect(accepted({ userId: 'u', signature: 'a'.repeat(512) }).signature).toHaveLength(512);
      expect(rejected({ userId: 'u', signature: 'a'.repeat(513) }, 'invalid_request').details).toEqual({ field: 'signature' });
      expect(rejected({ userId: 'u', hmac: 'a'.repeat(513) }, 'invalid_request').details).toEqual({ field: 'hmac' });
    });

    it('rejects a signature that is not a string', () => {
      const issue = rejected({ userId: 'u', signature: 0x7fb7 }, 'invalid_request');
      expect(issue.details).toEqual({ field: 'signature' });
      expect(issue.message).toMatch(/^signature: /);
      rejected({ userId: 'u', hmac: ['ab'] }, 'invalid_request');
    });
  });

  describe('unknown keys', () => {
    const typos = ['userid', 'user_id', 'id', 'props', 'property', 'sig', 'foo'];
    for (const key of typos) {
      it(`rejects the unknown top-level key "${key}" with invalid_request naming it`, () => {
        const issue = rejected({ userId: 'user_123', [key]: 'x' }, 'invalid_request');
        expect(issue.message).toContain(`"${key}"`);
      });
    }

    it('rejects an unknown key inside profile', () => {
      const issue = rejected({ userId: 'user_123', profile: { plan: 'pro' } }, 'invalid_request');
      expect(issue.details).toEqual({ field: 'profile' });
      expect(issue.message).toContain('"plan"');
    });

    it('rejects properties inside profile (the alias there is traits)', () => {
      rejected({ userId: 'user_123', profile: { properties: { plan: 'pro' } } }, 'invalid_request');
    });

    it('rejects a __proto__ key in a JSON body', () => {
      rejected(JSON.parse('{"userId":"user_123","__proto__":{"isAdmin":true}}'), 'invalid_request');
      rejected(JSON.parse('{"userId":"user_123","profile":{"__proto__":{"isAdmin":true}}}'), 'invalid_request');
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });
  });

  describe('the body itself', () => {
    const cases: Array<[string, unknown]> = [
      ['undefined', undefined],
      ['null', null],
      ['a string', 'user_123'],
      ['a number', 42],
      ['an array', [{ userId: 'user_123' }]],
      ['a boolean', true],
    ];
    for (const [label, input] of cases) {
      it(`rejects ${label} with invalid_request on the body`, () => {
        expect(rejected(input, 'invalid_request').details).toEqual({ field: 'body' });
      });
    }

    it('rejects a profile that is not an object', () => {
      expect(rejected({ userId: 'u', profile: 'Ada' }, 'invalid_request').details).toEqual({ field: 'profile' });
      expect(rejected({ userId: 'u', profile: null }, 'invalid_request').details).toEqual({ field: 'profile' });
    });

    it('does not mutate the body', () => {
      const body = {
        userId: 42,
        hmac: SIGNATURE,
        name: 'Ada',
        profile: { email: 'ada@example.com', traits: { plan: 'pro' } },
        properties: { seats: 3 },
      };
      const before = structuredClone(body);
      deepFreeze(body);
      accepted(body);
      expect(body).toEqual(before);
    });
  });

  describe('the profile alias', () => {
    it('maps profile: { email, name, birthday, gender, traits } to traits and properties', () => {
      const value = accepted({
        userId: 'user_123',
        hmac: SIGNATURE,
        profile: {
          email: 'ada@example.com',
          name: 'Ada',
          birthday: '1990-01-31',
          gender: Genders.Female,
          traits: { plan: 'pro', seats: 3 },
        },
      });
      expect(value).toEqual({
        userId: 'user_123',
        signature: SIGNATURE,
        traits: { email: 'ada@example.com', name: 'Ada', birthday: '1990-01-31', gender: 'Female' },
        properties: { plan: 'pro', seats: 3 },
      });
    });

    it('is equivalent to the top-level form', () => {
      const viaProfile = accepted({
        userId: 'u',
        hmac: SIGNATURE,
        profile: { email: 'a@b.co', name: 'Ada', traits: { plan: 'pro' } },
      });
      const topLevel = accepted({ userId: 'u', signature: SIGNATURE, email: 'a@b.co', name: 'Ada', properties: { plan: 'pro' } });
      expect(viaProfile).toEqual(topLevel);
    });

    it('lets top-level traits win over profile', () => {
      const value = accepted({
        userId: 'u',
        name: 'Top',
        gender: Genders.Other,
        profile: { name: 'Profile', email: 'profile@example.com', gender: Genders.Male },
      });
      expect(value.traits).toEqual({ name: 'Top', email: 'profile@example.com', gender: 'Other' });
    });

    it('lets a top-level null unset the trait even when profile sets it', () => {
      expect(accepted({ userId: 'u', name: null, profile: { name: 'Profile' } }).traits).toEqual({ name: null });
    });

    it('validates the winning value: an invalid top-level trait fails even if profile has a valid one', () => {
      const error = profileRefused({ userId: 'u', email: 'not-an-email', profile: { email: 'a@b.co' } }, 'invalid_profile');
      expect(error.field).toBe('email');
    });

    it('rejects an invalid trait sent through profile', () => {
      expect(profileRefused({ userId: 'u', profile: { birthday: '2023-02-30' } }, 'invalid_profile').field).toBe('birthday');
      expect(profileRefused({ userId: 'u', profile: { gender: 'female' } }, 'invalid_profile').field).toBe('gender');
    });

    it('checks birthday against the clock it is given', () => {
      profileRefused({ userId: 'u', birthday: '2024-06-16' }, 'invalid_profile');
      expect(accepted({ userId: 'u', birthday: '2024-06-15' }).traits).toEqual({ birthday: '2024-06-15' });
    });

    it('lists every bad field at once, and keeps none of the valid ones', () => {
      const value = accepted({ userId: 'u', name: 'Ada', gender: 'robot', properties: { plan: 'pro', a: { b: 1 }, c: [1] } });
      expect(value.traits).toEqual({});
      expect(value.properties).toEqual({});
      expect(value.profileErrors?.map((e) => [e.field, e.code])).toEqual([
        ['gender', 'invalid_profile'],
        ['properties.a', 'invalid_property'],
        ['properties.c', 'invalid_property'],
      ]);
    });

    it('lets top-level traits and properties win over profile.traits', () => {
      const value = accepted({
        userId: 'u',
        profile: { traits: { a: 'profile', b: 'profile', c: 'profile', d: 'profile' } },
        traits: { b: 'traits', c: 'traits' },
        properties: { c: 'properties', d: null },
      });
      expect(value.properties).toEqual({ a: 'profile', b: 'traits', c: 'properties', d: null });
    });
  });

  describe('properties', () => {
    it('accepts properties of every allowed type', () => {
      const properties = { plan: 'pro', seats: 3, trial: false, renews: '2025-01-01', roles: ['admin'], legacy: null };
      expect(accepted({ userId: 'u', properties }).properties).toEqual(properties);
    });

    it('treats null properties as none', () => {
      expect(accepted({ userId: 'u', properties: null, traits: null }).properties).toEqual({});
    });

    const sources: Array<[string, (props: unknown) => Record<string, unknown>]> = [
      ['properties', (props) => ({ properties: props })],
      ['traits', (props) => ({ traits: props })],
      ['profile.traits', (props) => ({ profile: { traits: props } })],
    ];
    for (const [field, place] of sources) {
      it(`names ${field} when a property there is invalid`, () => {
        const error = profileRefused({ userId: 'u', ...place({ company: { name: 'Acme' } }) }, 'invalid_property');
        expect(error.field).toBe(`${field}.company`);
      });

      it(`names ${field} when it is not an object`, () => {
        expect(profileRefused({ userId: 'u', ...place('plan=pro') }, 'invalid_property').field).toBe(field);
      });

      it(`rejects more than ${PropertyLimits.maxKeys} keys in ${field} alone`, () => {
        const error = profileRefused({ userId: 'u', ...place(keys(PropertyLimits.maxKeys + 1, 'k')) }, 'property_limit_exceeded');
        expect(error.field).toBe(field);
        expect(error.message).toContain(`${PropertyLimits.maxKeys + 1} keys`);
      });

      it(`rejects a JSON __proto__ key in ${field}`, () => {
        const body = JSON.parse(
          JSON.stringify({ userId: 'u', ...place({ plan: 'pro' }) }).replace('"plan":"pro"', '"__proto__":{"isAdmin":true}'),
        ) as unknown;
        expect(profileRefused(body, 'invalid_property').field).toBe(`${field}.__proto__`);
      });
    }

    it(`accepts exactly ${PropertyLimits.maxKeys} keys merged from all sources`, () => {
      const value = accepted({
        userId: 'u',
        profile: { traits: keys(30, 'p') },
        traits: keys(30, 't'),
        properties: keys(PropertyLimits.maxKeys - 60, 'q'),
      });
      expect(Object.keys(value.properties)).toHaveLength(PropertyLimits.maxKeys);
    });

    it(`rejects ${PropertyLimits.maxKeys + 1} keys merged from all sources, though each source is within the limit`, () => {
      const error = profileRefused(
        { userId: 'u', profile: { traits: keys(30, 'p') }, traits: keys(30, 't'), properties: keys(PropertyLimits.maxKeys - 59, 'q') },
        'property_limit_exceeded',
      );
      expect(error.field).toBe('properties');
    });

    it('counts a key sent in several sources once', () => {
      const same = keys(PropertyLimits.maxKeys, 'k');
      const value = accepted({ userId: 'u', profile: { traits: same }, traits: same, properties: same });
      expect(Object.keys(value.properties)).toHaveLength(PropertyLimits.maxKeys);
    });
  });

  it('parses a JSON body as the server receives it', () => {
    const body = JSON.parse(
      '{"userId":42,"hmac":"ab12","profile":{"email":"a@b.co","traits":{"plan":"pro"}},"properties":{"seats":3,"roles":["admin"]}}',
    ) as unknown;
    expect(accepted(body)).toEqual({
      userId: '42',
      signature: 'ab12',
      traits: { email: 'a@b.co' },
      properties: { plan: 'pro', seats: 3, roles: ['admin'] },
    });
  });

  it('never throws', () => {
    const inputs: unknown[] = [
      Symbol('x'),
      10n,
      Object.create(null),
      { userId: Symbol('x') },
      { userId: 'u', properties: { a: Symbol('x') } },
      { userId: 'u', profile: { traits: [1, 2] } },
      { userId: 'u', birthday: new Date() },
    ];
    for (const input of inputs) {
      expect(() => parseIdentifyPayload(input, NOW)).not.toThrow();
      const result = parseIdentifyPayload(input, NOW);
      // Refused outright, or (a bad profile field) the profile refused as a whole.
      expect(!result.ok || (result.value.profileErrors?.length ?? 0) > 0).toBe(true);
    }
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('parseIdentifyPayload — fixed bugs', () => {
  it('refuses an empty token or signature instead of treating it as identity', () => {
    for (const body of [{ token: '' }, { userId: 'u', signature: '' }, { userId: 'u', hmac: '' }]) {
      const result = parseIdentifyPayload(body);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issue.code).toBe('invalid_request');
    }
  });

  it('accepts signature and hmac that differ only in hex case', () => {
    const hex = 'ab'.repeat(32);
    expect(parseIdentifyPayload({ userId: 'u', signature: hex, hmac: hex.toUpperCase() }).ok).toBe(true);
  });
});
