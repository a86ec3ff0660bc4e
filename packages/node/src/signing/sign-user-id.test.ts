import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signUserId } from './sign-user-id.js';

interface Vector {
  name: string;
  secret: string;
  userId: string | number;
  message: string;
  signature: string;
}

// NOTE: the vectors are shared with every other implementation of signing; they
// were computed with Python's hmac and openssl, not with this code.
const vectorsUrl = new URL('../../../protocol/test-vectors/user-id-signatures.json', import.meta.url);
const { vectors } = JSON.parse(readFileSync(vectorsUrl, 'utf8')) as { vectors: Vector[] };

const SECRET = 'lsk_3q2Vx9KfT0bLr8NwYp4HcZ7mDs1AeJu6';

describe('signUserId', () => {
  it('has the shared test vectors to check', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(12);
  });

  for (const vector of vectors) {
    it(`matches the vector "${vector.name}"`, () => {
      expect(String(vector.userId)).toBe(vector.message);
      expect(signUserId(vector.userId, vector.secret)).toBe(vector.signature);
    });
  }

  it('returns 64 lowercase hex characters', () => {
    expect(signUserId('user_123', SECRET)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs a number and its decimal string the same way', () => {
    expect(signUserId(42, SECRET)).toBe(signUserId('42', SECRET));
  });

  it('does not trim the userId', () => {
    expect(signUserId(' user_123', SECRET)).not.toBe(signUserId('user_123', SECRET));
  });

  it('accepts 255 code points even when an emoji makes it 256 UTF-16 units', () => {
    expect(() => signUserId(`${'x'.repeat(254)}🦄`, SECRET)).not.toThrow();
  });

  const rejected: Array<[string, unknown]> = [
    ['an empty string', ''],
    ['256 code points', `${'x'.repeat(255)}🦄`],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['an unsafe integer', 2 ** 53],
    ['an object', { id: 1 }],
    ['null', null],
    ['an unpaired surrogate', 'user_\uD800'],
  ];
  for (const [label, userId] of rejected) {
    it(`rejects ${label} as userId with a TypeError`, () => {
      expect(() => signUserId(userId as string, SECRET)).toThrow(TypeError);
    });
  }

  it('names the problem in the error message', () => {
    expect(() => signUserId('', SECRET)).toThrow(/userId must not be empty/);
  });

  it('rejects an empty or missing secret without echoing it', () => {
    expect(() => signUserId('user_123', '')).toThrow(TypeError);
    expect(() => signUserId('user_123', undefined as unknown as string)).toThrow(/secret must be/);
  });
});
