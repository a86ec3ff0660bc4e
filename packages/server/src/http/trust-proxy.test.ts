import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, call } from '../test-support/api-helpers.js';
import { hashToken } from '../crypto/tokens.js';
import type { ConfigOverrides } from '../config/config.js';

const PROXY = '10.0.0.1';
const CLIENT = '198.51.100.7';
const STRANGER = '203.0.113.9';
const EMAIL = 'proxied@example.com';

function signIn(t: TestApp, from: string, headers: Record<string, string>, password = PASSWORD) {
  return call(t.app, { method: 'POST', url: '/api/v1/auth/login', remoteAddress: from, headers, payload: { email: EMAIL, password } });
}

/** The session cookie's Set-Cookie header, and the client IP the server recorded for that session. */
async function sessionOf(t: TestApp, res: Awaited<ReturnType<typeof signIn>>) {
  expect(res.status).toBe(200);
  const raw = res.headers['set-cookie'];
  const setCookie = (Array.isArray(raw) ? raw : [raw]).find((c): c is string => typeof c === 'string' && c.startsWith('lumio_session='))!;
  const token = setCookie.split(';')[0]!.slice('lumio_session='.length);
  const row = await t.deps.db.selectFrom('auth_sessions').select('ip').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
  return { ip: row.ip, secure: setCookie.split(';').some((a) => a.trim().toLowerCase() === 'secure') };
}

async function appWith(dialect: (typeof DIALECTS)[number], trustProxy: ConfigOverrides['trustProxy']) {
  const t = await createTestApp(dialect, {
    config: { trustProxy, rateLimits: { loginPerIpPerMinute: 10_000, loginPerAccountPerMinute: 1000, loginFailuresPerSource: 2 } },
  });
  await t.services.accounts.create({ email: EMAIL, password: PASSWORD });
  return t;
}

for (const dialect of DIALECTS) {
  describe(`trusted proxies by address (LUMIO_TRUST_PROXY=${PROXY}) [${dialect}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await appWith(dialect, [PROXY]);
    });
    afterAll(async () => t?.close());

    it('behind the trusted proxy: the client IP from X-Forwarded-For, and X-Forwarded-Proto: https makes the cookie Secure', async () => {
      const res = await signIn(t, PROXY, { 'x-forwarded-for': CLIENT, 'x-forwarded-proto': 'https' });
      expect(await sessionOf(t, res)).toEqual({ ip: CLIENT, secure: true });
      // Plain HTTP through the proxy: no Secure (the browser would drop the cookie).
      const plain = await signIn(t, PROXY, { 'x-forwarded-for': CLIENT, 'x-forwarded-proto': 'http' });
      expect(await sessionOf(t, plain)).toEqual({ ip: CLIENT, secure: false });
    });

    it('from any other peer, X-Forwarded-For and X-Forwarded-Proto are ignored', async () => {
      const res = await signIn(t, STRANGER, { 'x-forwarded-for': CLIENT, 'x-forwarded-proto': 'https' });
      expect(await sessionOf(t, res)).toEqual({ ip: STRANGER, secure: false });
    });

    it('a guesser cannot dodge the per-IP failure limit by making up X-Forwarded-For', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await signIn(t, STRANGER, { 'x-forwarded-for': `192.0.2.${i + 1}` }, 'guess')).status);
      expect(statuses).toEqual([401, 401, 429]);
    });
  });

  describe(`trusted proxies by hop count (LUMIO_TRUST_PROXY=1) and none (default) [${dialect}]`, () => {
    let hops: TestApp;
    let none: TestApp;
    beforeAll(async () => {
      hops = await appWith(dialect, 1);
      none = await appWith(dialect, false);
    });
    afterAll(async () => {
      await hops?.close();
      await none?.close();
    });

    it('with one hop, trusts the nearest peer only: the last X-Forwarded-For entry is the client', async () => {
      const res = await signIn(hops, PROXY, { 'x-forwarded-for': `6.6.6.6, ${CLIENT}`, 'x-forwarded-proto': 'https' });
      expect(await sessionOf(hops, res)).toEqual({ ip: CLIENT, secure: true });
    });

    it('by default trusts no one', async () => {
      const res = await signIn(none, PROXY, { 'x-forwarded-for': CLIENT, 'x-forwarded-proto': 'https' });
      expect(await sessionOf(none, res)).toEqual({ ip: PROXY, secure: false });
    });
  });
}
