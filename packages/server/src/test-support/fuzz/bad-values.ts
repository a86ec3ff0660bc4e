import type { Prng } from './prng.js';

/**
 * The library of bad values the fuzzer draws from: wrong types, text no
 * database stores alike (NUL, lone surrogates), huge and deep values,
 * prototype keys, numbers JSON cannot round-trip. Each is a function so huge
 * values are built only when drawn.
 */
export const BAD_VALUES: ReadonlyArray<(rng: Prng) => unknown> = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1.5,
  () => 2 ** 53 + 2,
  () => -(2 ** 63),
  () => 1e308,
  () => Number.MIN_VALUE,
  () => '',
  () => ' ',
  () => 'a\u0000b',
  () => '\u0000',
  () => 'x\ud800',
  () => '\udc00x',
  () => '\ud83d\ude00',
  () => '\u202e\ufeffrtl',
  () => '__proto__',
  () => 'constructor',
  () => '../../etc/passwd',
  () => "'; drop table users; --",
  () => '%00',
  () => '<script>alert(1)</script>',
  () => '-30d',
  () => '2026-02-30',
  () => 'NaN',
  () => '1e999',
  (rng) => 'a'.repeat(rng.pick([256, 1025, 5000, 40_000])),
  (rng) => 'é'.repeat(rng.pick([300, 3000])),
  () => [],
  () => [null],
  () => ['a', 1, { b: 2 }],
  (rng) => Array.from({ length: rng.pick([101, 1001]) }, (_, i) => `v${i}`),
  () => ({}),
  () => ({ __proto__: { admin: true } }),
  () => JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'),
  () => ({ $where: 'sleep(1000)' }),
  () => ({ $regex: '(a+)+$' }),
  (rng) => deep(rng.pick([20, 200, 2000]), rng.chance(0.5)),
  (rng) => Object.fromEntries(Array.from({ length: rng.pick([60, 500]) }, (_, i) => [`k${i}`, { $gt: i }])),
];

/**
 * Targeting conditions at and past the validator's bounds: wide (many keys,
 * long $and/$or), deep, long lists, patterns, NUL and unknown segments. The
 * widest once compiled to SQL deeper than SQLite allows (a 500).
 */
export const BAD_CONDITIONS: ReadonlyArray<(rng: Prng) => unknown> = [
  (rng) => Object.fromEntries(Array.from({ length: rng.pick([200, 500, 999, 1001]) }, (_, i) => [`p${i}`, { $gt: i }])),
  (rng) => ({
    [rng.pick(['$and', '$or', '$nor'])]: Array.from({ length: rng.pick([100, 333, 499, 600]) }, (_, i) => ({ [`p${i}`]: 'x' })),
  }),
  (rng) => {
    let condition: unknown = { plan: 'pro' };
    for (let i = 0, n = rng.pick([5, 11, 12, 13, 40]); i < n; i++)
      condition = rng.chance(0.5) ? { $not: condition } : { $and: [condition, { [`q${i}`]: { $nin: ['a'] } }] };
    return condition;
  },
  (rng) => ({ plan: { $in: Array.from({ length: rng.pick([999, 1000, 1001]) }, (_, i) => (rng.chance(0.5) ? i : `v${i}`)) } }),
  (rng) =>
    Object.fromEntries(
      Array.from({ length: rng.pick([10, 30]) }, (_, i) => [`p${i}`, { $in: Array.from({ length: 300 }, (_, j) => `v${j}`) }]),
    ),
  () => ({ seats: { $gt: 1, $lt: 100, $ne: 7, $exists: true, $type: 'number', $nin: [3], $size: 2, $elemMatch: { a: 1 } } }),
  () => ({ name: { $regex: '(a+)+$' } }),
  () => ({ name: { $regex: 'a'.repeat(300) } }),
  () => ({ name: { $regexi: '\\ud83d' } }),
  () => ({ plan: 'a\u0000b' }),
  () => ({ plan: { $eq: 'x\ud800' } }),
  () => ({ $segment: 'seg_missing' }),
  () => ({ $segment: '' }),
  () => ({ 'a..b': 1 }),
  () => ({ '__proto__.polluted': 1 }),
  () => ({ $where: 'true' }),
  () => ({ birthday: { $age: { $gt: 1e308 } } }),
  () => ({ signedUpAt: { $after: '-99999999d' } }),
  () => ({ version: { $vgt: 'x'.repeat(1024) } }),
  () => ({ tags: { $all: [[[[['deep']]]]] } }),
];

/** A value nested `levels` deep, as lists or as objects. */
export function deep(levels: number, asList: boolean): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = asList ? [value] : { a: value };
  return value;
}

/** Draws one bad value. */
export function badValue(rng: Prng): unknown {
  return rng.pick(BAD_VALUES)(rng);
}

/** Bad path segments and query values, already percent-encoded as a client would send them (or deliberately not). */
export const BAD_SEGMENTS: readonly string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%F0%9F%98%80',
  '%FF',
  '%C0%AF',
  '%E0%80',
  '%',
  '%zz',
  '__proto__',
  'constructor',
  '..',
  '%2e%2e',
  '%2F',
  'a%20b',
  '-1',
  '0',
  '1e309',
  'null',
  'undefined',
  'x'.repeat(300),
  'x'.repeat(5000),
  '%E9'.repeat(40),
  '%C3%A9'.repeat(600),
];

/** Raw request bodies with the content type they claim: invalid JSON, invalid UTF-8, wrong types. */
export const BAD_PAYLOADS: ReadonlyArray<{ contentType: string | undefined; payload: string | Buffer }> = [
  { contentType: 'application/json', payload: '' },
  { contentType: 'application/json', payload: '{' },
  { contentType: 'application/json', payload: '{"a":1,}' },
  { contentType: 'application/json', payload: 'null' },
  { contentType: 'application/json', payload: '"\\u0000"' },
  { contentType: 'application/json', payload: '{"name":"\\ud800"}' },
  { contentType: 'application/json', payload: '{"name":"a\\u0000b","userId":"\\u0000"}' },
  { contentType: 'application/json', payload: '{"limit":1e400}' },
  { contentType: 'application/json', payload: '{"a":1,"a":2}' },
  { contentType: 'application/json', payload: '\ufeff{}' },
  { contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
  { contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]) },
  { contentType: 'application/json', payload: Buffer.from([0xc0, 0xaf, 0x00, 0x01]) },
  { contentType: 'application/json; charset=latin1', payload: '{}' },
  { contentType: 'application/json; charset=utf-16', payload: '{}' },
  { contentType: 'text/plain', payload: 'hello' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'a=1&b=%00' },
  { contentType: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--' },
  { contentType: 'application/xml', payload: '<a/>' },
  { contentType: 'application/vnd.api+json', payload: '{}' },
  { contentType: '', payload: '{}' },
  { contentType: 'application/json', payload: '['.repeat(5000) + ']'.repeat(5000) },
  { contentType: 'application/json', payload: '{"a":'.repeat(3000) + '1' + '}'.repeat(3000) },
  { contentType: 'application/json', payload: JSON.stringify({ x: 'y'.repeat(70 * 1024) }) },
  { contentType: undefined, payload: '{"name":"x"}' },
];

/** Field names the routes read, so random bodies reach past "unknown key" into each field's checks. */
export const FIELD_NAMES: readonly string[] = [
  'name',
  'email',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'workspaceName',
  'role',
  'userId',
  'anonymousId',
  'signature',
  'identityToken',
  'traits',
  'properties',
  'events',
  'condition',
  'segmentId',
  'title',
  'body',
  'kind',
  'status',
  'query',
  'slug',
  'collectionId',
  'allowedOrigins',
  'verification',
  'from',
  'to',
  'interval',
  'event',
  'attributes',
  'limit',
  'retentionDays',
  'browserVisibleKeys',
  'interestHalfLifeDays',
  'personalisedHelp',
  'graceSeconds',
  'files',
  'description',
  'audience',
  'cta',
  'priority',
  'type',
  'helpful',
  'id',
  'at',
  'props',
  '__proto__',
  'constructor',
  'prototype',
];
