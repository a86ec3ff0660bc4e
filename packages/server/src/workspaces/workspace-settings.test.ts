import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_SETTINGS_LIMITS } from '@lumio/protocol';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { addMember, call, otherWorkspaceOwner, setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { INTEREST_HALF_LIFE_DAYS } from '../interests/interest-math.js';

const DEFAULTS = {
  browserVisibleKeys: [],
  interestHalfLifeDays: 30,
  personalisedHelp: true,
  identityAlerts: false,
  identityAlertFailurePercent: 20,
  identityAlertMinAttempts: 20,
};
// What GET answers: the settings and whether this instance can send email (the test app has no SMTP).
const VIEW = { ...DEFAULTS, emailConfigured: false };

it('bounds the half-life as the interest arithmetic does', () => {
  expect(WORKSPACE_SETTINGS_LIMITS.interestHalfLifeDays).toEqual(INTEREST_HALF_LIFE_DAYS);
});

for (const dialect of DIALECTS) {
  describe(`workspace settings [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let admin: Session;
    let member: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
      member = await addMember(t, owner, 'member@example.com', 'member');
    });
    afterAll(async () => t?.close());

    const api = (s: Session, method: string, payload?: unknown) => workspaceApi(t, s)(method, '/settings', payload);
    const auditEntries = async () =>
      (await workspaceApi(t, owner)('GET', '/audit-log')).body.entries.filter(
        (e: { action: string }) => e.action === 'workspace.settings.update',
      ) as Array<{ actor: { id: string }; details: Record<string, unknown> }>;

    it('reads the defaults as any member', async () => {
      for (const s of [owner, admin, member]) {
        const res = await api(s, 'GET');
        expect(res.status).toBe(200);
        expect(res.body).toEqual(VIEW);
      }
    });

    it('lets an admin change each setting on its own, keeps the others, and audits only what changed', async () => {
      const keys = await api(admin, 'PATCH', { browserVisibleKeys: ['internal_risk_score', 'plan', 'plan', 'Kundennummer', 'a b:c-$'] });
      expect(keys.status, JSON.stringify(keys.body)).toBe(200);
      // Each key once, in the order given.
      expect(keys.body).toEqual({ ...VIEW, browserVisibleKeys: ['internal_risk_score', 'plan', 'Kundennummer', 'a b:c-$'] });
      const halfLife = await api(owner, 'PATCH', { interestHalfLifeDays: 7 });
      expect(halfLife.body).toMatchObject({ interestHalfLifeDays: 7, personalisedHelp: true, browserVisibleKeys: expect.any(Array) });
      const off = await api(admin, 'PATCH', { personalisedHelp: false });
      expect(off.body).toEqual({
        ...VIEW,
        browserVisibleKeys: ['internal_risk_score', 'plan', 'Kundennummer', 'a b:c-$'],
        interestHalfLifeDays: 7,
        personalisedHelp: false,
      });
      // Stored: a member reads the same, and so does the service other features use.
      expect((await api(member, 'GET')).body).toEqual(off.body);
      expect([...(await t.services.workspaceSettings.browserVisibleKeys(owner.workspaceId))]).toEqual(off.body.browserVisibleKeys);
      const columns = await t.deps.db
        .selectFrom('workspaces')
        .select(['interest_half_life_days', 'personalised_help'])
        .where('id', '=', owner.workspaceId)
        .executeTakeFirstOrThrow();
      expect(columns).toEqual({ interest_half_life_days: 7, personalised_help: 0 });

      const entries = await auditEntries();
      expect(entries.map((e) => e.details)).toEqual([
        { before: { personalisedHelp: true }, after: { personalisedHelp: false } },
        { before: { interestHalfLifeDays: 30 }, after: { interestHalfLifeDays: 7 } },
        {
          before: { browserVisibleKeys: [] },
          after: { browserVisibleKeys: ['internal_risk_score', 'plan', 'Kundennummer', 'a b:c-$'] },
        },
      ]);
      expect(entries[0]!.actor.id).toBe(admin.accountId);
      // A change to nothing writes nothing.
      expect((await api(admin, 'PATCH', { personalisedHelp: false, interestHalfLifeDays: 7 })).status).toBe(200);
      expect((await api(admin, 'PATCH', {})).status).toBe(200);
      expect(await auditEntries()).toHaveLength(3);
      // An empty list clears it.
      expect((await api(owner, 'PATCH', { browserVisibleKeys: [], personalisedHelp: true, interestHalfLifeDays: 30 })).body).toEqual(VIEW);
    });

    it('refuses a member with 403 and changes nothing', async () => {
      const res = await api(member, 'PATCH', { personalisedHelp: false, browserVisibleKeys: ['secret'] });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect((await api(owner, 'GET')).body).toEqual(VIEW);
    });

    it('refuses bad values with the field at fault, changing nothing', async () => {
      const cases: Array<[unknown, string]> = [
        [{ browserVisibleKeys: ['a.b'] }, 'browserVisibleKeys.0'],
        [{ browserVisibleKeys: ['ok', '__proto__'] }, 'browserVisibleKeys.1'],
        [{ browserVisibleKeys: ['x'.repeat(65)] }, 'browserVisibleKeys.0'],
        [{ browserVisibleKeys: [''] }, 'browserVisibleKeys.0'],
        [{ browserVisibleKeys: [' leading'] }, 'browserVisibleKeys.0'],
        [{ browserVisibleKeys: [42] }, 'browserVisibleKeys.0'],
        [{ browserVisibleKeys: 'plan' }, 'browserVisibleKeys'],
        [{ browserVisibleKeys: Array.from({ length: 101 }, (_, i) => `k${i}`) }, 'browserVisibleKeys'],
        [{ interestHalfLifeDays: 0 }, 'interestHalfLifeDays'],
        [{ interestHalfLifeDays: 366 }, 'interestHalfLifeDays'],
        [{ interestHalfLifeDays: 1.5 }, 'interestHalfLifeDays'],
        [{ interestHalfLifeDays: '30' }, 'interestHalfLifeDays'],
        [{ personalisedHelp: 'yes' }, 'personalisedHelp'],
        [{ personalisedHelp: 1 }, 'personalisedHelp'],
        [{ retentionDays: 30 }, 'body'],
      ];
      for (const [payload, field] of cases) {
        const res = await api(owner, 'PATCH', payload);
        expect(res.status, JSON.stringify(payload).slice(0, 80)).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
        expect(res.body.error.details.field, JSON.stringify(payload).slice(0, 80)).toBe(field);
      }
      const tooLong = await api(owner, 'PATCH', { browserVisibleKeys: ['a.b'] });
      expect(tooLong.body.error.message).toContain('no dots');
      // The bounds themselves are accepted.
      expect((await api(owner, 'PATCH', { interestHalfLifeDays: 1 })).status).toBe(200);
      expect((await api(owner, 'PATCH', { interestHalfLifeDays: 365 })).status).toBe(200);
      const hundred = Array.from({ length: 100 }, (_, i) => `k${i}`);
      expect((await api(owner, 'PATCH', { browserVisibleKeys: hundred })).body.browserVisibleKeys).toEqual(hundred);
      await api(owner, 'PATCH', DEFAULTS);
      expect((await api(owner, 'GET')).body).toEqual(VIEW);
    });

    it('refuses a change sent from another origin, and hides the settings from non-members', async () => {
      const forged = await call(t.app, {
        method: 'PATCH',
        url: `/api/v1/workspaces/${owner.workspaceId}/settings`,
        cookie: owner.cookie,
        headers: { origin: 'https://evil.example' },
        payload: { browserVisibleKeys: ['internal_risk_score'] },
      });
      expect(forged.status).toBe(403);
      expect(forged.body.error.code).toBe('origin_not_allowed');
      const outsider = await otherWorkspaceOwner(t);
      for (const method of ['GET', 'PATCH'] as const) {
        const res = await call(t.app, {
          method,
          url: `/api/v1/workspaces/${owner.workspaceId}/settings`,
          cookie: outsider.cookie,
          ...(method === 'PATCH' ? { payload: { personalisedHelp: false } } : {}),
        });
        expect(res.status).toBe(404);
      }
      const anonymous = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/settings` });
      expect(anonymous.status).toBe(401);
      expect((await api(owner, 'GET')).body).toEqual(VIEW);
    });
  });
}
