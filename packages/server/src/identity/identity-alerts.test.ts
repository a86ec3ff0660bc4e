import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { addMember, call, createWidget, otherWorkspaceOwner, setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { startSmtpCapture, type SmtpCapture } from '../test-support/smtp-capture.js';
import type { IdentityLogEntry } from './identity-log.js';

const MINUTE = 60_000;
const PUBLIC_URL = 'https://lumio.example.com';

for (const dialect of DIALECTS) {
  describe(`identity health alerts by email [${dialect}]`, () => {
    let t: TestApp;
    let smtp: SmtpCapture;
    let owner: Session;
    let admin: Session;
    let member: Session;
    let other: Session;
    let widgetId: string;
    let otherWidgetId: string;
    let n = 0;
    const env = () => ({ LUMIO_SMTP_URL: smtp.url, LUMIO_PUBLIC_URL: PUBLIC_URL });

    // Identify outcomes as identify records them (the identity log's hourly counts are what the check reads).
    const record = (app: TestApp, workspaceId: string, widget: string, outcome: IdentityLogEntry['outcome'], count: number) => {
      for (let i = 0; i < count; i++)
        app.services.identityLog.record({
          workspaceId,
          widgetId: widget,
          outcome,
          reason: outcome === 'failed' ? 'invalid_signature' : 'ok',
          diagnosis: null,
          userId: `u${n}`,
          anonymousId: `anon_${n++}`,
          keyId: null,
          ip: null,
          at: app.clock.now(),
        });
    };
    const alertsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email) && m.subject.includes('identify attempts failed'));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

    beforeAll(async () => {
      smtp = await startSmtpCapture({ user: 'alerts', password: 'alert password' });
      t = await createTestApp(dialect, { env: env() });
      owner = await setupOwner(t);
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
      member = await addMember(t, owner, 'member@example.com', 'member');
      other = await otherWorkspaceOwner(t);
      widgetId = (await createWidget(t, owner)).widgetId;
      otherWidgetId = (await createWidget(t, other)).widgetId;
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    it('is off by default: a workspace failing every identify gets no email', async () => {
      expect((await workspaceApi(t, owner)('GET', '/settings')).body).toMatchObject({
        identityAlerts: false,
        identityAlertFailurePercent: 20,
        identityAlertMinAttempts: 20,
        emailConfigured: true,
      });
      record(t, owner.workspaceId, widgetId, 'failed', 50);
      record(t, other.workspaceId, otherWidgetId, 'failed', 50);
      expect(await t.services.identityAlerts.runOnce()).toEqual({ alerted: [], emails: 0 });
      await settle();
      expect(smtp.received).toHaveLength(0);
    });

    it('sends nothing below the fewest attempts or below the threshold', async () => {
      // A fresh hour window: the 50 failures above are more than two hours old from here on.
      t.clock.advance(3 * 60 * MINUTE);
      const on = await workspaceApi(t, admin)('PATCH', '/settings', { identityAlerts: true });
      expect(on.status, JSON.stringify(on.body)).toBe(200);
      // The other workspace has it on too, and is healthy: it must never be alerted for A's failures.
      expect((await workspaceApi(t, other)('PATCH', '/settings', { identityAlerts: true })).status).toBe(200);
      record(t, other.workspaceId, otherWidgetId, 'verified', 100);
      record(t, owner.workspaceId, widgetId, 'failed', 19);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([]);
      // 19 failed of 100 (19 %): under the 20 % threshold.
      record(t, owner.workspaceId, widgetId, 'verified', 60);
      record(t, owner.workspaceId, widgetId, 'identified', 21);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([]);
      await settle();
      expect(smtp.received).toHaveLength(0);
    });

    it('over the threshold: one email to each owner and admin, none to members or other workspaces, audited', async () => {
      t.clock.advance(10 * MINUTE);
      // 20 failed of 101 attempts: 19.8 %, still under; one more failure makes 21 of 102 (20.6 %).
      record(t, owner.workspaceId, widgetId, 'failed', 1);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([]);
      record(t, owner.workspaceId, widgetId, 'failed', 1);
      const run = await t.services.identityAlerts.runOnce();
      expect(run).toEqual({ alerted: [owner.workspaceId], emails: 2 });
      const [toOwner] = alertsTo(owner.email);
      const [toAdmin] = alertsTo(admin.email);
      expect(alertsTo(owner.email)).toHaveLength(1);
      expect(alertsTo(admin.email)).toHaveLength(1);
      expect(alertsTo(member.email)).toHaveLength(0);
      expect(alertsTo(other.email)).toHaveLength(0);
      expect(toOwner!.subject).toBe('Lumio: 21 % of identify attempts failed in the last hour in "Acme"');
      expect(toAdmin!.subject).toBe(toOwner!.subject);
      expect(toOwner!.text).toContain('21 of 102 identify attempts failed');
      expect(toOwner!.links).toEqual([
        `${PUBLIC_URL}/app/w/${owner.workspaceId}/widgets/${widgetId}?tab=health`,
        `${PUBLIC_URL}/app/w/${owner.workspaceId}/settings`,
      ]);
      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      const entries = audit.body.entries.filter((e: { action: string }) => e.action === 'workspace.identity_alert');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: { type: 'system' },
        details: { failurePercent: 21, attempts: 102, failed: 21, recipients: 2, sent: 2 },
      });
    });

    it('does not alert the same workspace again within the hour, and does after it', async () => {
      const before = smtp.received.length;
      record(t, owner.workspaceId, widgetId, 'failed', 40);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([]);
      t.clock.advance(59 * MINUTE);
      record(t, owner.workspaceId, widgetId, 'failed', 40);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([]);
      await settle();
      expect(smtp.received.length).toBe(before);
      t.clock.advance(MINUTE);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([owner.workspaceId]);
      expect(alertsTo(owner.email)).toHaveLength(2);
    });

    it('with two apps on one database checking at once, sends one email per recipient', async () => {
      const second = await createTestApp(dialect, { database: t.database, masterKey: t.masterKey, clock: t.clock, env: env() });
      try {
        t.clock.advance(61 * MINUTE);
        record(t, owner.workspaceId, widgetId, 'failed', 30);
        await t.services.identityLog.flush();
        const before = alertsTo(owner.email).length;
        const runs = await Promise.all([t.services.identityAlerts.runOnce(), second.services.identityAlerts.runOnce()]);
        expect(runs.flatMap((r) => r.alerted)).toEqual([owner.workspaceId]);
        await settle();
        expect(alertsTo(owner.email)).toHaveLength(before + 1);
        expect(alertsTo(admin.email)).toHaveLength(before + 1);
      } finally {
        await second.close();
      }
    }, 120_000);

    it('does nothing without outgoing email, and the settings say email is not configured', async () => {
      const silent = await createTestApp(dialect, { database: t.database, masterKey: t.masterKey, clock: t.clock });
      try {
        t.clock.advance(61 * MINUTE);
        record(silent, owner.workspaceId, widgetId, 'failed', 30);
        expect(await silent.services.identityAlerts.runOnce()).toEqual({ alerted: [], emails: 0 });
        const login = await call(silent.app, {
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: owner.email, password: owner.password },
        });
        const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
        const settings = await call(silent.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/settings`, cookie });
        expect(settings.body).toMatchObject({ identityAlerts: true, emailConfigured: false });
        // Nothing was claimed: the app with email still alerts for this hour.
        await silent.services.identityLog.flush();
        expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([owner.workspaceId]);
      } finally {
        await silent.close();
      }
    }, 120_000);

    it('refuses bad alert settings with the field at fault', async () => {
      for (const [patch, field] of [
        [{ identityAlertFailurePercent: 0 }, 'identityAlertFailurePercent'],
        [{ identityAlertFailurePercent: 101 }, 'identityAlertFailurePercent'],
        [{ identityAlertFailurePercent: 20.5 }, 'identityAlertFailurePercent'],
        [{ identityAlertMinAttempts: 0 }, 'identityAlertMinAttempts'],
        [{ identityAlerts: 'yes' }, 'identityAlerts'],
      ] as const) {
        const res = await workspaceApi(t, owner)('PATCH', '/settings', patch);
        expect(res.status, JSON.stringify(patch)).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_request', details: { field } });
      }
      // A member may not turn it on or off.
      expect((await workspaceApi(t, member)('PATCH', '/settings', { identityAlerts: false })).status).toBe(403);
    });
  });
}
