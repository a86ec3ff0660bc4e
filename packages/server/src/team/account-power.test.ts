import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@lumio/protocol';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, call, login, otherWorkspaceOwner, type Session } from '../test-support/api-helpers.js';
import { hasAccountPower } from '../workspaces/account-authority.js';
import { outranks } from '@lumio/protocol';

// Many sign-ins come from one test IP; the sign-in limits are not what this file tests.
const GENEROUS_LIMITS = { loginPerIpPerMinute: 10_000, loginPerAccountPerMinute: 10_000 };
const NEW_PASSWORD = 'the attacker’s chosen passphrase';
const RESET_ISSUE = 'POST /api/v1/workspaces/:workspaceId/members/:accountId/password-reset';
const RESET_USE = 'POST /api/v1/auth/password-reset';
const REMOVE = 'DELETE /api/v1/workspaces/:workspaceId/members/:accountId';
// State-changing routes about one account that change only its membership of the workspace in the path.
const MEMBERSHIP_ONLY = new Set(['PATCH /api/v1/workspaces/:workspaceId/members/:accountId']);

describe('outranks', () => {
  it('is strict: owner > admin > member, and equal roles do not outrank', () => {
    const roles: Role[] = ['member', 'admin', 'owner'];
    const table = roles.map((a) => roles.map((b) => outranks(a, b)));
    expect(table).toEqual([
      [false, false, false],
      [true, false, false],
      [true, true, false],
    ]);
  });
});

for (const dialect of DIALECTS) {
  describe(`account power across workspaces [${dialect}]`, () => {
    let t: TestApp;
    let n = 0;

    const me = (cookie: string) => call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie });
    const invite = (by: Session, role: Role) =>
      call(t.app, { method: 'POST', url: `/api/v1/workspaces/${by.workspaceId}/invites`, cookie: by.cookie, payload: { role } });
    const issueReset = (by: Session, accountId: string) =>
      call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${by.workspaceId}/members/${accountId}/password-reset`,
        cookie: by.cookie,
        payload: {},
      });
    const useReset = (token: string, password = NEW_PASSWORD) =>
      call(t.app, { method: 'POST', url: '/api/v1/auth/password-reset', payload: { token, password } });
    const remove = (by: Session, accountId: string) =>
      call(t.app, { method: 'DELETE', url: `/api/v1/workspaces/${by.workspaceId}/members/${accountId}`, cookie: by.cookie });
    const resetsOf = async (accountId: string) =>
      (await t.adapter.db.selectFrom('password_resets').select('token_hash').where('account_id', '=', accountId).execute()).length;
    const auditActions = async (by: Session) =>
      (
        (await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${by.workspaceId}/audit-log?limit=500`, cookie: by.cookie })).body
          .entries as Array<{ action: string; target: { id: string }; details: Record<string, unknown> }>
      ).map((e) => ({ action: e.action, target: e.target.id, details: e.details }));

    /** Joins an existing, signed-in account to `into`'s workspace with a role. */
    const join = async (into: Session, who: Session, role: Role) => {
      const created = await invite(into, role);
      expect(created.status).toBe(201);
      const accepted = await call(t.app, {
        method: 'POST',
        url: '/api/v1/invites/accept',
        cookie: who.cookie,
        payload: { token: created.body.token },
      });
      expect(accepted.status).toBe(201);
    };
    /** A new account that belongs to `into`'s workspace only, signed in. */
    const newMember = async (into: Session, role: Role): Promise<Session> => {
      const email = `${role}-${++n}@example.com`;
      const created = await invite(into, role);
      const accepted = await call(t.app, {
        method: 'POST',
        url: '/api/v1/invites/accept',
        payload: { token: created.body.token, email, password: PASSWORD },
      });
      expect(accepted.status).toBe(201);
      return {
        cookie: await login(t, email),
        accountId: accepted.body.accountId,
        workspaceId: into.workspaceId,
        email,
        password: PASSWORD,
      };
    };

    /**
     * The issue's scenario, built once: V's owner (the victim) is invited into
     * workspace B as a member by B's owner; the attacker is B's owner or a
     * plain admin of B. Refused attacks change nothing, so they share it; the
     * removal attack joins the victim to B again first.
     */
    let world: { victim: Session; bOwner: Session; bAdmin: Session };
    const scenario = async (attackerRole: 'owner' | 'admin') => {
      const member = (
        await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${world.bOwner.workspaceId}/members`, cookie: world.bOwner.cookie })
      ).body.members as Array<{ accountId: string }>;
      if (!member.some((m) => m.accountId === world.victim.accountId)) await join(world.bOwner, world.victim, 'member');
      return { victim: world.victim, attacker: attackerRole === 'owner' ? world.bOwner : world.bAdmin };
    };

    /** The account's password hash and session count: what an account-level change would alter. */
    const accountState = async (victim: Session) => ({
      resets: await resetsOf(victim.accountId),
      hash: (await t.adapter.db.selectFrom('accounts').select('password_hash').where('id', '=', victim.accountId).executeTakeFirstOrThrow())
        .password_hash,
      sessions: (await t.adapter.db.selectFrom('auth_sessions').select('token_hash').where('account_id', '=', victim.accountId).execute())
        .length,
    });
    /** Nothing about the victim's account changed: old password works, sessions alive, V still theirs. */
    const assertUntouched = async (victim: Session, before: Awaited<ReturnType<typeof accountState>>) => {
      expect(await accountState(victim)).toEqual(before);
      const session = await me(victim.cookie);
      expect(session.status).toBe(200);
      expect(session.body.workspaces).toContainEqual(expect.objectContaining({ id: victim.workspaceId, role: 'owner' }));
      await login(t, victim.email, PASSWORD);
    };
    const expectRefused = (res: { status: number; body: any }) => {
      expect(res.status, JSON.stringify(res.body)).toBe(403);
      expect(res.body.error.code).toBe('account_outside_your_authority');
      expect(res.body.error.message).toMatch(/lumio accounts reset-password/);
    };

    /** One attack per route that changes another person's account; each must be refused with nothing changed. */
    const attacks: Record<string, (attackerRole: 'owner' | 'admin') => Promise<void>> = {
      [RESET_ISSUE]: async (attackerRole) => {
        const { victim, attacker } = await scenario(attackerRole);
        const before = await accountState(victim);
        expectRefused(await issueReset(attacker, victim.accountId));
        await assertUntouched(victim, before);
        expect((await auditActions(attacker)).map((e) => e.action)).not.toContain('member.password_reset_issue');
      },
      [RESET_USE]: async (attackerRole) => {
        // The link is issued while the attacker outranks the target everywhere;
        // the target then becomes owner of a workspace of its own, and the link
        // must not work any more.
        const { attacker } = await scenario(attackerRole);
        const target = await newMember(world.bOwner, 'member');
        const link = await issueReset(attacker, target.accountId);
        expect(link.status).toBe(201);
        const own = await call(t.app, { method: 'POST', url: '/api/v1/workspaces', cookie: target.cookie, payload: { name: 'Mine' } });
        expect(own.status).toBe(201);
        const victim = { ...target, workspaceId: own.body.id as string };
        const before = await accountState(victim);
        expectRefused(await useReset(link.body.token));
        await assertUntouched(victim, before);
        expect((await auditActions(victim)).map((e) => e.action)).not.toContain('account.password_reset');
      },
      [REMOVE]: async (attackerRole) => {
        // Removing V's owner from B is B's business; ending their sessions (which serve V too) is not.
        const { victim, attacker } = await scenario(attackerRole);
        const before = await accountState(victim);
        expect((await remove(attacker, victim.accountId)).status).toBe(204);
        await assertUntouched(victim, before);
        const bMembers = await call(t.app, {
          method: 'GET',
          url: `/api/v1/workspaces/${attacker.workspaceId}/members`,
          cookie: attacker.cookie,
        });
        expect(bMembers.body.members.map((m: { accountId: string }) => m.accountId)).not.toContain(victim.accountId);
        const gone = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${attacker.workspaceId}/widgets`, cookie: victim.cookie });
        expect(gone.status).toBe(404);
        expect(await auditActions(attacker)).toContainEqual({
          action: 'member.remove',
          target: victim.accountId,
          details: { role: 'member', sessionsEnded: false },
        });
      },
    };

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: GENEROUS_LIMITS } });
      const victim = await otherWorkspaceOwner(t, 'victim@example.com');
      const bOwner = await otherWorkspaceOwner(t, 'b-owner@example.com');
      world = { victim, bOwner, bAdmin: await newMember(bOwner, 'admin') };
    });
    afterAll(async () => t?.close());

    it('marks exactly the routes this file attacks as changing another account, and every other account route as membership-only', () => {
      const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
      const marked = t.routes.filter((r) => r.lumio?.changesOtherAccount).map(key);
      // A new route that changes someone else's account must be marked, and then it needs an attack below.
      expect(new Set(marked)).toEqual(new Set(Object.keys(attacks)));
      const aboutAnAccount = t.routes
        .filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && r.url.includes(':accountId'))
        .map(key)
        .filter((k) => !MEMBERSHIP_ONLY.has(k));
      for (const route of aboutAnAccount) expect(marked, `${route} must be marked changesOtherAccount`).toContain(route);
    });

    for (const route of [RESET_ISSUE, RESET_USE, REMOVE]) {
      for (const attackerRole of ['owner', 'admin'] as const) {
        it(`refuses ${route} by B's ${attackerRole} against an account B does not wholly outrank, and nothing changes`, async () => {
          await attacks[route]!(attackerRole);
        });
      }
    }

    it('lets the owner reset and remove an admin or a member who belongs only to that workspace, and an admin a member', async () => {
      const owner = world.bOwner;
      for (const role of ['admin', 'member'] as const) {
        const target = await newMember(owner, role);
        const link = await issueReset(owner, target.accountId);
        expect(link.status).toBe(201);
        expect((await useReset(link.body.token)).status).toBe(200);
        expect((await me(target.cookie)).status).toBe(401);
        const fresh = await login(t, target.email, NEW_PASSWORD);
        if (role === 'member') expect((await issueReset(world.bAdmin, target.accountId)).status).toBe(201);
        expect((await remove(owner, target.accountId)).status).toBe(204);
        // With power over the account, removal ends its sessions too.
        expect((await me(fresh)).status).toBe(401);
      }
    });

    it('refuses an admin over another admin, and anyone over an owner of the same workspace (the CLI is the way out)', async () => {
      const { bOwner, bAdmin } = world;
      const otherAdmin = await newMember(bOwner, 'admin');
      const coOwner = await newMember(bOwner, 'owner');
      expectRefused(await issueReset(bAdmin, otherAdmin.accountId));
      expectRefused(await issueReset(bAdmin, bOwner.accountId));
      expectRefused(await issueReset(coOwner, bOwner.accountId));
      // An owner removing another owner keeps only this workspace's membership business: no sessions end.
      expect((await remove(bOwner, coOwner.accountId)).status).toBe(204);
      expect((await me(coOwner.cookie)).status).toBe(200);
    });

    it('decides power from every membership: self yes; nobody over an account in no workspace', async () => {
      const { bOwner, bAdmin, victim } = await scenario('owner').then(() => world);
      const db = t.adapter.db;
      expect(await hasAccountPower(db, bOwner.accountId, bOwner.accountId)).toBe(true);
      expect(await hasAccountPower(db, bOwner.accountId, bAdmin.accountId)).toBe(true);
      expect(await hasAccountPower(db, bAdmin.accountId, bOwner.accountId)).toBe(false);
      // The victim is a member of B, but owner of V, where B's owner is nobody.
      expect(await hasAccountPower(db, bOwner.accountId, victim.accountId)).toBe(false);
      expect(await hasAccountPower(db, victim.accountId, bAdmin.accountId)).toBe(false);
      const loner = await t.services.accounts.create({ email: 'loner@example.com', password: PASSWORD });
      expect(await hasAccountPower(db, bOwner.accountId, loner.id)).toBe(false);
    });
  });
}
