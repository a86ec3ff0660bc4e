import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, call, login, setupOwner, type Session } from '../test-support/api-helpers.js';

const NEW_PASSWORD = 'an entirely new passphrase';
// The per-IP limiter would otherwise get in the way of the several password checks under test.
const GENEROUS_LIMITS = { loginPerIpPerMinute: 10_000, loginPerAccountPerMinute: 10_000, loginFailuresPerSource: 1000 };

const me = (t: TestApp, cookie: string) => call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie });
const changePassword = (t: TestApp, cookie: string | undefined, payload: Record<string, unknown>) =>
  call(t.app, { method: 'POST', url: '/api/v1/auth/change-password', ...(cookie ? { cookie } : {}), payload });

for (const dialect of DIALECTS) {
  describe(`account settings [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: GENEROUS_LIMITS } });
      owner = await setupOwner(t);
    });
    afterAll(async () => t?.close());

    it('renames the signed-in account; a blank name is refused and a request without a session is 401', async () => {
      const renamed = await call(t.app, {
        method: 'PATCH',
        url: '/api/v1/auth/me',
        cookie: owner.cookie,
        payload: { name: '  Ada Owner ' },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toEqual({ account: { id: owner.accountId, email: owner.email, name: 'Ada Owner' } });
      expect((await me(t, owner.cookie)).body.account.name).toBe('Ada Owner');

      const blank = await call(t.app, { method: 'PATCH', url: '/api/v1/auth/me', cookie: owner.cookie, payload: { name: '   ' } });
      expect(blank.status).toBe(400);
      expect(blank.body.error.code).toBe('invalid_request');
      expect((await me(t, owner.cookie)).body.account.name).toBe('Ada Owner');

      const anonymous = await call(t.app, { method: 'PATCH', url: '/api/v1/auth/me', payload: { name: 'Mallory' } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
    });

    it('refuses a wrong current password and a short new one, changing nothing', async () => {
      const wrong = await changePassword(t, owner.cookie, { currentPassword: 'not the password', newPassword: NEW_PASSWORD });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_credentials');

      const weak = await changePassword(t, owner.cookie, { currentPassword: PASSWORD, newPassword: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.error.code).toBe('weak_password');

      // The session that tried is still signed in, and the old password still works.
      expect((await me(t, owner.cookie)).status).toBe(200);
      expect(await login(t, owner.email, PASSWORD)).toMatch(/^lumio_session=/);
      expect((await changePassword(t, undefined, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(401);
    });

    it('changes the password: this session stays, the account’s other sessions end, only the new password signs in', async () => {
      const other = await login(t, owner.email, PASSWORD);
      const changed = await changePassword(t, owner.cookie, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ changed: true });

      expect((await me(t, owner.cookie)).status).toBe(200);
      expect((await me(t, other)).status).toBe(401);

      const old = await call(t.app, { method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: PASSWORD } });
      expect(old.status).toBe(401);
      expect(old.body.error.code).toBe('invalid_credentials');
      expect(await login(t, owner.email, NEW_PASSWORD)).toMatch(/^lumio_session=/);
    });

    it("records renames and password changes in the audit log of each of the account's workspaces, never the password", async () => {
      const second = await t.services.workspaces.create('Second', owner.accountId, { type: 'cli', id: null, ip: null });
      await call(t.app, { method: 'PATCH', url: '/api/v1/auth/me', cookie: owner.cookie, payload: { name: 'Ada Audited' } });
      const password = 'yet another long passphrase';
      expect((await changePassword(t, owner.cookie, { currentPassword: NEW_PASSWORD, newPassword: password })).status).toBe(200);
      for (const workspaceId of [owner.workspaceId, second.id]) {
        const log = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${workspaceId}/audit-log`, cookie: owner.cookie });
        expect(log.status).toBe(200);
        // Newest first; the first workspace also holds the earlier tests' changes.
        const entries = log.body.entries.filter((e: { action: string }) => e.action.startsWith('account.')).slice(0, 2);
        expect(entries).toEqual([
          expect.objectContaining({
            action: 'account.password_change',
            actor: { type: 'account', id: owner.accountId, name: 'Ada Audited (owner@example.com)' },
            target: { type: 'account', id: owner.accountId, name: 'Ada Audited (owner@example.com)', deleted: false },
            details: {},
          }),
          expect.objectContaining({ action: 'account.rename', details: { name: 'Ada Audited' } }),
        ]);
        expect(JSON.stringify(log.body)).not.toContain(password);
      }
    });
  });

  describe(`change-password rate limit [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: { loginPerIpPerMinute: 10_000, loginPerAccountPerMinute: 3 } } });
      owner = await setupOwner(t);
    });
    afterAll(async () => t?.close());

    // Wrong current passwords are failed sign-ins of the account (SignInThrottle): 3 a minute from an IP it never signed in from.
    it("answers 429 once the account's per-minute allowance of failed password checks is used up", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await changePassword(t, owner.cookie, { currentPassword: 'wrong guess', newPassword: NEW_PASSWORD })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    });
  });
}
