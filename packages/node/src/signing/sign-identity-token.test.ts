import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signIdentityToken } from './sign-identity-token.js';

const SECRET = 'lsk_3q2Vx9KfT0bLr8NwYp4HcZ7mDs1AeJu6';
const KEY_ID = 'key_01';
const key = new TextEncoder().encode(SECRET);

describe('signIdentityToken', () => {
  it('carries companies as one validated companies claim, and refuses a bad one at the call site', async () => {
    const token = await signIdentityToken(
      { userId: 'user_123', company: { id: 7, name: 'Acme' }, companies: [{ id: 'globex', properties: { plan: 'pro' } }] },
      SECRET,
      KEY_ID,
    );
    const { payload } = await jwtVerify(token, key);
    expect(payload['companies']).toEqual([
      { id: '7', name: 'Acme' },
      { id: 'globex', properties: { plan: 'pro' } },
    ]);
    expect(payload['company']).toBeUndefined();
    await expect(signIdentityToken({ userId: 'u', company: { id: '' } }, SECRET, KEY_ID)).rejects.toThrow(/company\.id/);
    await expect(
      signIdentityToken({ userId: 'u', companies: [{ id: 'a', properties: { o: {} as never } }] }, SECRET, KEY_ID),
    ).rejects.toThrow(/companies\.0\.properties\.o/);
  });

  it('signs an HS256 JWT with the kid header that verifies with the same secret', async () => {
    const token = await signIdentityToken({ userId: 'user_123' }, SECRET, KEY_ID);
    const { payload, protectedHeader } = await jwtVerify(token, key, { algorithms: ['HS256'] });
    expect(protectedHeader).toEqual({ alg: 'HS256', kid: KEY_ID, typ: 'JWT' });
    expect(payload.sub).toBe('user_123');
  });

  it('expires ten minutes after it is issued by default', async () => {
    const before = Math.floor(Date.now() / 1000);
    const token = await signIdentityToken({ userId: 'user_123' }, SECRET, KEY_ID);
    const { payload } = await jwtVerify(token, key);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(before + 1);
    expect(payload.exp).toBe(payload.iat! + 600);
  });

  it.each([
    [90, 90],
    ['30s', 30],
    ['1h', 3600],
    ['2 minutes', 120],
  ])('honours expiresIn %j', async (expiresIn, seconds) => {
    const token = await signIdentityToken({ userId: 'user_123' }, SECRET, KEY_ID, { expiresIn });
    const { payload } = await jwtVerify(token, key);
    expect(payload.exp! - payload.iat!).toBe(seconds);
  });

  it('fails verification with a different secret', async () => {
    const token = await signIdentityToken({ userId: 'user_123' }, SECRET, KEY_ID);
    const otherKey = new TextEncoder().encode('lsk_R7tWm2PqN8xYc4LkV1bZs9HdF6gJe0Ua');
    await expect(jwtVerify(token, otherKey)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it('carries the profile and properties it is given, and nothing else', async () => {
    const token = await signIdentityToken(
      {
        userId: 42,
        name: 'Ada Lovelace',
        email: 'ada@example.com',
        birthday: '1990-12-10',
        gender: 'Female',
        properties: { plan: 'pro', seats: 5, beta: true, teams: ['core', 'ops'], legacy: null },
      },
      SECRET,
      KEY_ID,
    );
    const { payload } = await jwtVerify(token, key);
    expect(payload).toEqual({
      sub: '42',
      iat: payload.iat,
      exp: payload.exp,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      birthday: '1990-12-10',
      gender: 'Female',
      properties: { plan: 'pro', seats: 5, beta: true, teams: ['core', 'ops'], legacy: null },
    });
  });

  it('leaves out claims that were not given', async () => {
    const token = await signIdentityToken({ userId: 'user_123', email: 'ada@example.com' }, SECRET, KEY_ID);
    const { payload } = await jwtVerify(token, key);
    expect(Object.keys(payload).sort()).toEqual(['email', 'exp', 'iat', 'sub']);
    expect(decodeProtectedHeader(token).kid).toBe(KEY_ID);
  });

  it('keeps the userId untrimmed in sub', async () => {
    const token = await signIdentityToken({ userId: ' user_123 ' }, SECRET, KEY_ID);
    expect((await jwtVerify(token, key)).payload.sub).toBe(' user_123 ');
  });

  it.each([0, -60, 1.5, '5m ago', '-5m', 'soon', ''])('rejects expiresIn %j', async (expiresIn) => {
    await expect(signIdentityToken({ userId: 'u' }, SECRET, KEY_ID, { expiresIn })).rejects.toThrow(/expiresIn must be/);
  });

  it('rejects claims the server would refuse', async () => {
    await expect(signIdentityToken({ userId: '' }, SECRET, KEY_ID)).rejects.toThrow(TypeError);
    await expect(signIdentityToken({ userId: 'u', email: 'not an email' }, SECRET, KEY_ID)).rejects.toThrow(/email/);
    await expect(signIdentityToken({ userId: 'u', gender: 'male' as 'Male' }, SECRET, KEY_ID)).rejects.toThrow(/gender/);
    const nested = { address: { city: 'Paris' } } as unknown as Record<string, string>;
    await expect(signIdentityToken({ userId: 'u', properties: nested }, SECRET, KEY_ID)).rejects.toThrow(/nested objects/);
  });

  it('rejects a missing secret or key id', async () => {
    await expect(signIdentityToken({ userId: 'u' }, '', KEY_ID)).rejects.toThrow(/secret must be/);
    await expect(signIdentityToken({ userId: 'u' }, SECRET, '')).rejects.toThrow(/keyId must be/);
  });
});
