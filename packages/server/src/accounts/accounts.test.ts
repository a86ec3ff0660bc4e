import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../crypto/passwords.js';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, call, createWidget, login, type Session } from '../test-support/api-helpers.js';

const PUBLIC_URL = 'https://lumio.example.com';
// The per-IP request limiter and the sign-in throttle (sign-in-throttle.test.ts) are not under test here.
const GENEROUS_LIMITS = { loginPerIpPerMinute: 10_000, loginPerAccountPerMinute: 10_000, loginFailuresPerSource: 1000 };
const NEW_PASSWORD = 'a brand new passphrase';

/** The raw Set-Cookie header of the session cookie, attributes included. */
function sessionSetCookie(headers: Record<string, unknown>): string {
  const raw = headers['set-cookie'];
  const list = (Array.isArray(raw) ? raw : [raw]).filter((c): c is string => typeof c === 'string');
  const found = list.find((c) => c.startsWith('lumio_session='));
  if (!found) throw new Error(`no session cookie in ${JSON.stringify(raw)}`);
  return found;
}

/** The `name=value` part of a Set-Cookie header, as a browser sends it back. */
const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

/** Cookie attributes, lower-cased, e.g. ['httponly', 'samesite=lax']. */
const attributesOf = (setCookie: string) =>
  setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());

async function completeSetup(t: TestApp, email: string, token?: string) {
  const setupToken = token ?? (await t.services.setup.issueToken());
  return call(t.app, {
    method: 'POST',
    url: '/api/v1/setup',
    payload: { token: setupToken, email, password: PASSWORD, workspaceName: 'Acme' },
  });
}

const me = (t: TestApp, cookie: string) => call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie });

for (const dialect of DIALECTS) {
  describe(`first-run setup [${dialect}]`, () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());

    it('says setup is needed, refuses a wrong token, and with the right one creates the owner, the workspace and a session', async () => {
      expect((await call(t.app, { method: 'GET', url: '/api/v1/setup' })).body).toEqual({ needed: true });

      await t.services.setup.issueToken();
      const wrong = await completeSetup(t, 'owner@example.com', 'lsu_not-the-token');
      expect(wrong.status).toBe(403);
      expect(wrong.body.error.code).toBe('invalid_setup_token');
      expect((await call(t.app, { method: 'GET', url: '/api/v1/setup' })).body).toEqual({ needed: true });

      const res = await completeSetup(t, 'Owner@Example.com');
      expect(res.status).toBe(201);
      expect(res.body.account).toMatchObject({ email: 'owner@example.com' });
      expect(res.body.workspace).toMatchObject({ name: 'Acme', role: 'owner' });

      const setCookie = sessionSetCookie(res.headers);
      expect(attributesOf(setCookie)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      // No https public URL: a Secure cookie would never come back over plain http.
      expect(attributesOf(setCookie)).not.toContain('secure');

      const who = await me(t, cookiePair(setCookie));
      expect(who.status).toBe(200);
      expect(who.body.account).toMatchObject({ id: res.body.account.id, email: 'owner@example.com' });
      expect(who.body.workspaces).toEqual([expect.objectContaining({ id: res.body.workspace.id, role: 'owner' })]);
      expect((await call(t.app, { method: 'GET', url: '/api/v1/setup' })).body).toEqual({ needed: false });
    });

    it('refuses a second setup once an owner exists', async () => {
      expect(await t.services.setup.issueToken()).toBeNull();
      const again = await completeSetup(t, 'intruder@example.com', 'lsu_anything');
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe('invalid_setup_token');
      const signIn = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'intruder@example.com', password: PASSWORD },
      });
      expect(signIn.status).toBe(401);
    });
  });

  describe(`setup token race [${dialect}]`, () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());

    it('completes setup only once when two requests race with the same one-time token', async () => {
      const token = (await t.services.setup.issueToken())!;
      const results = await Promise.all([completeSetup(t, 'first@example.com', token), completeSetup(t, 'second@example.com', token)]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 403]);
      const owners = await Promise.all(
        ['first@example.com', 'second@example.com'].map((email) =>
          call(t.app, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } }),
        ),
      );
      expect(owners.filter((r) => r.status === 200)).toHaveLength(1);
    });
  });

  describe(`sign-in, sessions and CSRF [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let setupSetCookie: string;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { publicUrl: PUBLIC_URL, rateLimits: GENEROUS_LIMITS } });
      const res = await completeSetup(t, 'owner@example.com');
      setupSetCookie = sessionSetCookie(res.headers);
      owner = {
        cookie: cookiePair(setupSetCookie),
        accountId: res.body.account.id,
        workspaceId: res.body.workspace.id,
        email: 'owner@example.com',
        password: PASSWORD,
      };
    });
    afterAll(async () => t?.close());

    it('marks the session cookie Secure when the public URL is https', async () => {
      expect(attributesOf(setupSetCookie)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure']));
      const res = await call(t.app, { method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: PASSWORD } });
      expect(attributesOf(sessionSetCookie(res.headers))).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure']));
    });

    it('signs in with the right password; a wrong password and an unknown email get the same answer', async () => {
      const ok = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: '  OWNER@example.com ', password: PASSWORD },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.account).toMatchObject({ id: owner.accountId, email: owner.email });
      expect(ok.body.account).not.toHaveProperty('passwordHash');
      expect(JSON.stringify(ok.body)).not.toContain('scrypt$');
      expect(ok.body.workspaces).toEqual([expect.objectContaining({ id: owner.workspaceId, role: 'owner' })]);

      const wrong = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: owner.email, password: 'not the password' },
      });
      const unknown = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'nobody@example.com', password: 'not the password' },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_credentials');
      expect(unknown.body.error.code).toBe('invalid_credentials');
      expect(unknown.body.error.message).toBe(wrong.body.error.message);
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('returns the signed-in account from /auth/me, and 401 without a valid cookie', async () => {
      const cookie = await login(t, owner.email);
      const res = await me(t, cookie);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        account: { id: owner.accountId, email: owner.email },
        workspaces: [{ id: owner.workspaceId, name: 'Acme', role: 'owner' }],
      });

      for (const bad of [undefined, 'lumio_session=lss_made-up']) {
        const refused = await call(t.app, { method: 'GET', url: '/api/v1/auth/me', ...(bad ? { cookie: bad } : {}) });
        expect(refused.status).toBe(401);
        expect(refused.body.error.code).toBe('unauthenticated');
      }
    });

    it('ends the session on logout: the same cookie no longer works, other sessions do', async () => {
      const cookie = await login(t, owner.email);
      const other = await login(t, owner.email);
      const out = await call(t.app, { method: 'POST', url: '/api/v1/auth/logout', cookie });
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/^lumio_session=;/);
      expect((await me(t, cookie)).status).toBe(401);
      expect((await me(t, other)).status).toBe(200);
    });

    it('confirm-password accepts the right password, refuses a wrong one, and unlocks secret reveal', async () => {
      const cookie = await login(t, owner.email);
      const widget = await createWidget(t, { ...owner, cookie });
      const reveal = () =>
        call(t.app, {
          method: 'POST',
          url: `/api/v1/workspaces/${owner.workspaceId}/widgets/${widget.widgetId}/secrets/reveal`,
          cookie,
          payload: {},
        });

      // Long after sign-in, revealing needs a fresh proof of the password.
      t.clock.advance(10 * 60_000);
      expect((await reveal()).body.error.code).toBe('reauthentication_required');

      const wrong = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/confirm-password',
        cookie,
        payload: { password: 'not the password' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_credentials');
      expect((await reveal()).status).toBe(401);

      const right = await call(t.app, { method: 'POST', url: '/api/v1/auth/confirm-password', cookie, payload: { password: PASSWORD } });
      expect(right.status).toBe(200);
      expect(right.body).toEqual({ confirmed: true });
      const revealed = await reveal();
      expect(revealed.status).toBe(200);
      expect(revealed.body.secrets[0].secret).toBe(widget.secret);

      const anonymous = await call(t.app, { method: 'POST', url: '/api/v1/auth/confirm-password', payload: { password: PASSWORD } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
    });

    it('refuses state-changing dashboard requests from another origin or a cross-site fetch', async () => {
      const cookie = await login(t, owner.email);
      const confirm = (headers: Record<string, string>) =>
        call(t.app, { method: 'POST', url: '/api/v1/auth/confirm-password', cookie, headers, payload: { password: PASSWORD } });

      const evil = await confirm({ origin: 'https://evil.example' });
      expect(evil.status).toBe(403);
      expect(evil.body.error.code).toBe('origin_not_allowed');

      const crossSite = await confirm({ 'sec-fetch-site': 'cross-site' });
      expect(crossSite.status).toBe(403);
      expect(crossSite.body.error.code).toBe('origin_not_allowed');

      // Sign-in itself is protected too (login CSRF), before any password check.
      const evilLogin = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { origin: 'https://evil.example' },
        payload: { email: owner.email, password: PASSWORD },
      });
      expect(evilLogin.status).toBe(403);
      expect(evilLogin.headers['set-cookie']).toBeUndefined();

      expect((await confirm({ origin: PUBLIC_URL })).status).toBe(200);
      expect((await confirm({ origin: PUBLIC_URL, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
      // Reads are not state-changing and pass from anywhere (CORS keeps their answers from other pages).
      expect(
        (await call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie, headers: { origin: 'https://evil.example' } })).status,
      ).toBe(200);
    });

    it('ends a session after the idle timeout, while activity keeps it alive', async () => {
      const idleMs = t.deps.config.session.idleSeconds * 1000;
      const cookie = await login(t, owner.email);
      t.clock.advance(idleMs - 60 * 60_000);
      expect((await me(t, cookie)).status).toBe(200);
      // Used an hour before it would have idled out: the idle clock starts again.
      t.clock.advance(idleMs - 60 * 60_000);
      expect((await me(t, cookie)).status).toBe(200);
      t.clock.advance(idleMs + 1000);
      const expired = await me(t, cookie);
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe('unauthenticated');
    });

    it('ends a session at the absolute limit even while it is in use', async () => {
      const { idleSeconds, absoluteSeconds } = t.deps.config.session;
      const cookie = await login(t, owner.email);
      const step = (idleSeconds * 1000) / 2;
      let elapsed = 0;
      while (elapsed + step < absoluteSeconds * 1000) {
        t.clock.advance(step);
        elapsed += step;
        expect((await me(t, cookie)).status).toBe(200);
      }
      t.clock.advance(absoluteSeconds * 1000 - elapsed);
      expect((await me(t, cookie)).status).toBe(401);
      // Signing in again works: only the old session ended.
      expect((await me(t, await login(t, owner.email))).status).toBe(200);
    });
  });

  describe(`password reset [${dialect}]`, () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: GENEROUS_LIMITS } });
    });
    afterAll(async () => t?.close());

    const reset = (token: string, password: string) =>
      call(t.app, { method: 'POST', url: '/api/v1/auth/password-reset', payload: { token, password } });

    it('sets a new password once, ends every old session and signs in anew; a weak password does not use up the link', async () => {
      const account = await t.services.accounts.create({ email: 'forgetful@example.com', password: PASSWORD });
      const oldCookie = await login(t, account.email);
      const { token } = await t.services.accounts.createPasswordReset(account.id, null);

      const weak = await reset(token, 'short');
      expect(weak.status).toBe(400);
      expect(weak.body.error.code).toBe('weak_password');

      const res = await reset(token, NEW_PASSWORD);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ reset: true });
      expect((await me(t, oldCookie)).status).toBe(401);
      const fresh = cookiePair(sessionSetCookie(res.headers));
      expect((await me(t, fresh)).body.account.id).toBe(account.id);

      const oldPassword = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: account.email, password: PASSWORD },
      });
      expect(oldPassword.status).toBe(401);
      expect((await me(t, await login(t, account.email, NEW_PASSWORD))).status).toBe(200);

      const reused = await reset(token, 'yet another passphrase');
      expect(reused.status).toBe(400);
      expect(reused.body.error.code).toBe('invalid_reset_token');
      expect((await me(t, fresh)).status).toBe(200);
    });

    it('checks the link before hashing the new password: a made-up link costs no hash', async () => {
      // The faster of two hashes: a floor of what one costs, whatever the load.
      const hashTimes: number[] = [];
      for (let i = 0; i < 2; i++) {
        const hashStart = performance.now();
        await hashPassword(NEW_PASSWORD);
        hashTimes.push(performance.now() - hashStart);
      }
      const hashMs = Math.min(...hashTimes);
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        const res = await reset(`lpr_made-up-${i}`, NEW_PASSWORD);
        times.push(performance.now() - start);
        expect(res.body.error.code).toBe('invalid_reset_token');
      }
      // One scrypt hash takes hundreds of ms; the lookup of a token a few.
      const median = [...times].sort((x, y) => x - y)[1]!;
      expect(median, `bad link ${times.map(Math.round)} ms, one hash ${Math.round(hashMs)} ms`).toBeLessThan(hashMs / 4);
    });

    it('refuses an expired or made-up link', async () => {
      const account = await t.services.accounts.create({ email: 'late@example.com', password: PASSWORD });
      const { token, expiresAt } = await t.services.accounts.createPasswordReset(account.id, null);
      t.clock.current = expiresAt;
      const expired = await reset(token, NEW_PASSWORD);
      expect(expired.status).toBe(400);
      expect(expired.body.error.code).toBe('invalid_reset_token');

      const madeUp = await reset('lpr_made-up', NEW_PASSWORD);
      expect(madeUp.body.error.code).toBe('invalid_reset_token');
      // The password is unchanged.
      expect((await me(t, await login(t, account.email))).status).toBe(200);
    });
  });
}
