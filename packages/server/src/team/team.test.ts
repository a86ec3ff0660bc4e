import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, addMember, call, login, setupOwner, type Session } from '../test-support/api-helpers.js';

// Many sign-ins come from one test IP; the per-IP sign-in limit is not what this file tests.
const GENEROUS_LIMITS = { loginPerIpPerMinute: 10_000, loginPerAccountPerMinute: 10_000, loginFailuresPerSource: 1000 };
const NEW_PASSWORD = 'a brand new passphrase';

const me = (t: TestApp, cookie: string) => call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie });

for (const dialect of DIALECTS) {
  describe(`team [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let admin: Session;
    let member: Session;
    let newbie: { accountId: string; email: string; cookie: string };
    let outsider: { accountId: string; email: string; cookie: string; workspaceId: string };
    // Every token handed out, to prove none of them reaches the audit log.
    const tokens: string[] = [];

    const invite = (by: Session, role: string) =>
      call(t.app, { method: 'POST', url: `/api/v1/workspaces/${owner.workspaceId}/invites`, cookie: by.cookie, payload: { role } });
    const accept = (payload: Record<string, unknown>, cookie?: string) =>
      call(t.app, { method: 'POST', url: '/api/v1/invites/accept', payload, ...(cookie ? { cookie } : {}) });
    const members = async () =>
      (await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/members`, cookie: owner.cookie })).body
        .members as Array<{ accountId: string; role: string }>;
    const changeRole = (by: Session, accountId: string, role: string) =>
      call(t.app, {
        method: 'PATCH',
        url: `/api/v1/workspaces/${owner.workspaceId}/members/${accountId}`,
        cookie: by.cookie,
        payload: { role },
      });
    const remove = (by: Session, accountId: string) =>
      call(t.app, { method: 'DELETE', url: `/api/v1/workspaces/${owner.workspaceId}/members/${accountId}`, cookie: by.cookie });
    const issueReset = (by: Session, accountId: string) =>
      call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/members/${accountId}/password-reset`,
        cookie: by.cookie,
        payload: {},
      });

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: GENEROUS_LIMITS } });
      owner = await setupOwner(t);
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
      member = await addMember(t, owner, 'member@example.com', 'member');
    });
    afterAll(async () => t?.close());

    it('lets an admin invite by link with a role, but not an owner; a member cannot invite at all', async () => {
      const res = await invite(admin, 'member');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ role: 'member', createdBy: admin.accountId });
      expect(res.body.url).toContain(`/app/invite#token=${encodeURIComponent(res.body.token)}`);
      tokens.push(res.body.token);

      // The pending list never shows the token again.
      const pending = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/invites`, cookie: admin.cookie });
      expect(pending.body.invites.map((i: { id: string }) => i.id)).toContain(res.body.id);
      expect(JSON.stringify(pending.body)).not.toContain(res.body.token);

      const ownerInvite = await invite(admin, 'owner');
      expect(ownerInvite.status).toBe(403);
      expect(ownerInvite.body.error.code).toBe('forbidden');

      for (const role of ['member', 'admin', 'owner']) {
        const byMember = await invite(member, role);
        expect(byMember.status).toBe(403);
        expect(byMember.body.error.code).toBe('forbidden');
      }
      const listByMember = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/invites`,
        cookie: member.cookie,
      });
      expect(listByMember.status).toBe(403);

      const byOwner = await invite(owner, 'owner');
      expect(byOwner.status).toBe(201);
      tokens.push(byOwner.body.token);
      await call(t.app, {
        method: 'DELETE',
        url: `/api/v1/workspaces/${owner.workspaceId}/invites/${byOwner.body.id}`,
        cookie: owner.cookie,
      });
    });

    it('lets a new account join through an invite with the invited role, once', async () => {
      const created = await invite(admin, 'member');
      tokens.push(created.body.token);
      const res = await accept({ token: created.body.token, email: 'newbie@example.com', password: PASSWORD, name: 'Newbie' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ workspaceId: owner.workspaceId, role: 'member' });
      newbie = { accountId: res.body.accountId, email: 'newbie@example.com', cookie: await login(t, 'newbie@example.com') };
      expect((await me(t, newbie.cookie)).body.workspaces).toEqual([expect.objectContaining({ id: owner.workspaceId, role: 'member' })]);

      const reused = await accept({ token: created.body.token, email: 'second@example.com', password: PASSWORD });
      expect(reused.status).toBe(400);
      expect(reused.body.error.code).toBe('invalid_invite');
      const secondSignIn = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'second@example.com', password: PASSWORD },
      });
      expect(secondSignIn.status).toBe(401);
    });

    it('lets an existing signed-in account join with its own password', async () => {
      const account = await t.services.accounts.create({ email: 'outsider@example.com', password: PASSWORD });
      const own = await t.services.workspaces.create('Elsewhere', account.id, { type: 'account', id: account.id, ip: null });
      outsider = { accountId: account.id, email: account.email, cookie: await login(t, account.email), workspaceId: own.id };

      const created = await invite(owner, 'admin');
      tokens.push(created.body.token);
      const res = await accept({ token: created.body.token }, outsider.cookie);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ accountId: outsider.accountId, workspaceId: owner.workspaceId, role: 'admin' });
      const workspaces = (await me(t, outsider.cookie)).body.workspaces;
      expect(workspaces).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: own.id, role: 'owner' }),
          expect.objectContaining({ id: owner.workspaceId, role: 'admin' }),
        ]),
      );
    });

    it('refuses a revoked invite, and keeps an invite usable after a weak password or a taken email', async () => {
      const revoked = await invite(owner, 'member');
      tokens.push(revoked.body.token);
      const del = await call(t.app, {
        method: 'DELETE',
        url: `/api/v1/workspaces/${owner.workspaceId}/invites/${revoked.body.id}`,
        cookie: owner.cookie,
      });
      expect(del.status).toBe(204);
      const refused = await accept({ token: revoked.body.token, email: 'revoked@example.com', password: PASSWORD });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid_invite');

      const pending = await invite(owner, 'member');
      tokens.push(pending.body.token);
      const weak = await accept({ token: pending.body.token, email: 'weak@example.com', password: 'short' });
      expect(weak.status).toBe(400);
      expect(weak.body.error.code).toBe('weak_password');
      const taken = await accept({ token: pending.body.token, email: 'member@example.com', password: PASSWORD });
      expect(taken.status).toBe(409);
      expect(taken.body.error.code).toBe('email_taken');
      const listed = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/invites`, cookie: owner.cookie });
      expect(listed.body.invites.map((i: { id: string }) => i.id)).toContain(pending.body.id);
      await call(t.app, {
        method: 'DELETE',
        url: `/api/v1/workspaces/${owner.workspaceId}/invites/${pending.body.id}`,
        cookie: owner.cookie,
      });
    });

    it('lets only one of two racing new accounts use an invite, and leaves no account behind for the other', async () => {
      const created = await invite(owner, 'member');
      tokens.push(created.body.token);
      const results = await Promise.all([
        accept({ token: created.body.token, email: 'racer1@example.com', password: PASSWORD }),
        accept({ token: created.body.token, email: 'racer2@example.com', password: PASSWORD }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
      const loser = results[0]!.status === 400 ? 'racer1@example.com' : 'racer2@example.com';
      // Otherwise the refused email is held by an account in no workspace, and a fresh invite answers email_taken.
      expect(await t.services.accounts.findIdByEmail(loser)).toBeUndefined();
    });

    it('changes roles, but never demotes or removes the last owner, and an admin cannot touch owners', async () => {
      const lastOwnerDemoted = await changeRole(owner, owner.accountId, 'admin');
      expect(lastOwnerDemoted.status).toBe(409);
      expect(lastOwnerDemoted.body.error.code).toBe('last_owner');
      const lastOwnerRemoved = await remove(owner, owner.accountId);
      expect(lastOwnerRemoved.status).toBe(409);
      expect(lastOwnerRemoved.body.error.code).toBe('last_owner');

      for (const res of [
        await changeRole(admin, owner.accountId, 'member'),
        await remove(admin, owner.accountId),
        await changeRole(admin, newbie.accountId, 'owner'),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      expect((await changeRole(member, newbie.accountId, 'admin')).status).toBe(403);
      expect((await members()).find((m) => m.accountId === owner.accountId)?.role).toBe('owner');

      const promoted = await changeRole(admin, newbie.accountId, 'admin');
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ accountId: newbie.accountId, role: 'admin' });
      expect((await changeRole(admin, newbie.accountId, 'member')).body.role).toBe('member');

      // With a second owner, the first may step down.
      expect((await changeRole(owner, outsider.accountId, 'owner')).body.role).toBe('owner');
      const outsiderSession = { ...owner, accountId: outsider.accountId, cookie: outsider.cookie };
      expect((await changeRole(outsiderSession, owner.accountId, 'admin')).body.role).toBe('admin');
      expect((await changeRole(outsiderSession, owner.accountId, 'owner')).body.role).toBe('owner');
      expect((await changeRole(owner, outsider.accountId, 'admin')).body.role).toBe('admin');
      expect((await members()).filter((m) => m.role === 'owner').map((m) => m.accountId)).toEqual([owner.accountId]);
    });

    it('removing a member ends their sessions at once; the account itself stays', async () => {
      expect((await me(t, newbie.cookie)).status).toBe(200);
      const res = await remove(admin, newbie.accountId);
      expect(res.status).toBe(204);
      const after = await me(t, newbie.cookie);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('unauthenticated');
      expect((await members()).map((m) => m.accountId)).not.toContain(newbie.accountId);

      const again = await login(t, newbie.email);
      expect((await me(t, again)).body.workspaces).toEqual([]);
      const widgets = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/widgets`, cookie: again });
      expect(widgets.status).toBe(404);
      expect((await remove(admin, newbie.accountId)).status).toBe(404);
    });

    it('lets owners and admins issue password-reset links only for accounts they outrank in every workspace', async () => {
      const forOwner = await issueReset(admin, owner.accountId);
      expect(forOwner.status).toBe(403);
      expect(forOwner.body.error.code).toBe('account_outside_your_authority');
      expect((await issueReset(member, admin.accountId)).body.error.code).toBe('forbidden');
      // The outsider is admin here but owner of a workspace of its own: nobody here outranks it there.
      const forOutsider = await issueReset(owner, outsider.accountId);
      expect(forOutsider.status).toBe(403);
      expect(forOutsider.body.error.code).toBe('account_outside_your_authority');
      expect((await issueReset(admin, outsider.accountId)).body.error.code).toBe('account_outside_your_authority');

      const link = await issueReset(admin, member.accountId);
      expect(link.status).toBe(201);
      expect(link.body.url).toContain(`/app/reset-password#token=${encodeURIComponent(link.body.token)}`);
      tokens.push(link.body.token);
      const used = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/password-reset',
        payload: { token: link.body.token, password: NEW_PASSWORD },
      });
      expect(used.status).toBe(200);
      expect((await me(t, member.cookie)).status).toBe(401);
      member = { ...member, password: NEW_PASSWORD, cookie: await login(t, member.email, NEW_PASSWORD) };
    });

    it('records invites, joins, role changes and removals in an audit log that owners and admins read and members cannot', async () => {
      const res = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/audit-log?limit=500`,
        cookie: owner.cookie,
      });
      expect(res.status).toBe(200);
      const entries = res.body.entries as Array<{
        action: string;
        actor: { id: string };
        target: { id: string };
        details: Record<string, unknown>;
      }>;
      const actions = new Set(entries.map((e) => e.action));
      for (const action of [
        'member.invite',
        'member.invite_revoke',
        'member.join',
        'member.role_change',
        'member.remove',
        'member.password_reset_issue',
        'account.password_reset',
      ]) {
        expect(actions, action).toContain(action);
      }
      // The member who used the reset link is the actor of the reset itself.
      expect(entries).toContainEqual(
        expect.objectContaining({
          action: 'account.password_reset',
          actor: expect.objectContaining({ id: member.accountId }),
          target: expect.objectContaining({ id: member.accountId }),
        }),
      );
      expect(entries).toContainEqual(
        expect.objectContaining({
          action: 'member.role_change',
          actor: expect.objectContaining({ id: admin.accountId }),
          target: expect.objectContaining({ id: newbie.accountId }),
          details: { from: 'member', to: 'admin' },
        }),
      );
      expect(entries).toContainEqual(
        expect.objectContaining({
          action: 'member.remove',
          actor: expect.objectContaining({ id: admin.accountId }),
          target: expect.objectContaining({ id: newbie.accountId }),
        }),
      );
      expect(entries).toContainEqual(
        expect.objectContaining({
          action: 'member.join',
          actor: expect.objectContaining({ id: outsider.accountId }),
          details: expect.objectContaining({ role: 'admin' }),
        }),
      );

      const text = JSON.stringify(res.body);
      for (const secret of [PASSWORD, NEW_PASSWORD, ...tokens]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/scrypt\$|lin_|lpr_|lss_/);

      expect(
        (await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/audit-log`, cookie: admin.cookie })).status,
      ).toBe(200);
      const byMember = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/audit-log`,
        cookie: member.cookie,
      });
      expect(byMember.status).toBe(403);
      expect(byMember.body.error.code).toBe('forbidden');
    });

    it('refuses an invite after it expires', async () => {
      const created = await invite(owner, 'member');
      t.clock.current = created.body.expiresAt;
      const res = await accept({ token: created.body.token, email: 'late@example.com', password: PASSWORD });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_invite');
    });
  });
}
