import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { createWidget, otherWorkspaceOwner, setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { startSmtpCapture, type SmtpCapture } from '../test-support/smtp-capture.js';
import { insertWebhookEndpoint } from '../test-support/webhook-receiver.js';
import { webhookEventsOf } from '../test-support/webhook-rows.js';
import type { IdentityLogEntry } from './identity-log.js';

const HOUR = 3600_000;

for (const dialect of DIALECTS) {
  describe(`identity.failure_spike webhook event [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widgetId: string;
    let endpoint: string;
    let n = 0;

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

    beforeAll(async () => {
      // No outgoing email: the webhook event is the alert.
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widgetId = (await createWidget(t, owner)).widgetId;
      endpoint = (
        await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, owner.workspaceId, 'https://receiver.example.com/hook', {
          events: ['identity.failure_spike'],
          json: (v: unknown) => t.adapter.json(v),
          now: t.clock.now(),
        })
      ).id;
      expect((await workspaceApi(t, owner)('PATCH', '/settings', { identityAlerts: true, identityAlertFailurePercent: 25 })).status).toBe(
        200,
      );
    }, 120_000);
    afterAll(async () => t?.close());

    it('without email, records one event when the failure rate crosses the threshold, claimed once an hour', async () => {
      // 9 of 40 = 22.5 %: under the 25 % threshold.
      record(t, owner.workspaceId, widgetId, 'verified', 31);
      record(t, owner.workspaceId, widgetId, 'failed', 9);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([]);
      expect(await webhookEventsOf(t, owner.workspaceId, 'identity.failure_spike')).toEqual([]);
      record(t, owner.workspaceId, widgetId, 'failed', 11);
      expect(await t.services.identityAlerts.runOnce()).toEqual({ alerted: [owner.workspaceId], emails: 0 });
      const events = await webhookEventsOf(t, owner.workspaceId, 'identity.failure_spike');
      expect(events).toHaveLength(1);
      const hourStart = Math.floor(t.clock.now() / HOUR) * HOUR;
      expect(events[0]!.payload).toMatchObject({
        type: 'identity.failure_spike',
        workspace_id: owner.workspaceId,
        data: {
          widget_id: widgetId,
          window_start: new Date(hourStart - HOUR).toISOString(),
          window_end: new Date(t.clock.now()).toISOString(),
          attempts: 51,
          failures: 20,
          failure_percent: 39.2,
          threshold_percent: 25,
        },
      });
      expect(Object.keys(events[0]!.payload.data).sort()).toEqual(
        ['attempts', 'failure_percent', 'failures', 'threshold_percent', 'widget_id', 'window_end', 'window_start'].sort(),
      );
      expect(events[0]!.deliveries).toEqual([{ endpoint_id: endpoint, state: 'pending', workspace_id: owner.workspaceId }]);
      // Still failing within the hour: no second event.
      record(t, owner.workspaceId, widgetId, 'failed', 20);
      t.clock.advance(30 * 60_000);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([]);
      expect(await webhookEventsOf(t, owner.workspaceId, 'identity.failure_spike')).toHaveLength(1);
      // An hour after the first: the next one.
      t.clock.advance(31 * 60_000);
      record(t, owner.workspaceId, widgetId, 'failed', 20);
      expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([owner.workspaceId]);
      expect(await webhookEventsOf(t, owner.workspaceId, 'identity.failure_spike')).toHaveLength(2);
    });

    it('without email and with no endpoint wanting it, claims nothing and records nothing', async () => {
      const other = await otherWorkspaceOwner(t);
      const otherWidget = (await createWidget(t, other)).widgetId;
      (
        await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, other.workspaceId, 'https://receiver.example.com/hook', {
          events: ['user.created', 'announcement.clicked'],
          json: (v: unknown) => t.adapter.json(v),
          now: t.clock.now(),
        })
      ).id;
      expect((await workspaceApi(t, other)('PATCH', '/settings', { identityAlerts: true })).status).toBe(200);
      record(t, other.workspaceId, otherWidget, 'failed', 40);
      expect((await t.services.identityAlerts.runOnce()).alerted).not.toContain(other.workspaceId);
      expect(await t.deps.db.selectFrom('webhook_events').select('id').where('workspace_id', '=', other.workspaceId).execute()).toEqual([]);
      const row = await t.deps.db
        .selectFrom('workspaces')
        .select('identity_alert_sent_at')
        .where('id', '=', other.workspaceId)
        .executeTakeFirstOrThrow();
      expect(row.identity_alert_sent_at).toBeNull();
    }, 60_000);

    it('with email, sends the emails and records the event in the same claim', async () => {
      const smtp: SmtpCapture = await startSmtpCapture({ user: 'alerts', password: 'alert password' });
      const mailing = await createTestApp(dialect, {
        database: t.database,
        masterKey: t.masterKey,
        clock: t.clock,
        env: { LUMIO_SMTP_URL: smtp.url, LUMIO_PUBLIC_URL: 'https://lumio.example.com' },
      });
      try {
        t.clock.advance(2 * HOUR);
        record(mailing, owner.workspaceId, widgetId, 'failed', 30);
        const before = (await webhookEventsOf(t, owner.workspaceId, 'identity.failure_spike')).length;
        // Two processes check at once: one claim, one email per recipient, one event. On SQLite
        // (one process per database file) the two apps of this one test process check in turn:
        // the synchronous driver of one would wait on the other's open transaction.
        const runs =
          dialect === 'postgres'
            ? await Promise.all([mailing.services.identityAlerts.runOnce(), t.services.identityAlerts.runOnce()])
            : [await mailing.services.identityAlerts.runOnce(), await t.services.identityAlerts.runOnce()];
        expect(runs.flatMap((r) => r.alerted)).toEqual([owner.workspaceId]);
        expect(runs.reduce((sum, r) => sum + r.emails, 0)).toBe(1);
        expect(await webhookEventsOf(t, owner.workspaceId, 'identity.failure_spike')).toHaveLength(before + 1);
      } finally {
        await mailing.close();
        await smtp.close();
      }
    }, 120_000);

    it('records no event when another process claimed the alert after this one read the workspaces', async () => {
      t.clock.advance(2 * HOUR);
      record(t, owner.workspaceId, widgetId, 'failed', 30);
      const before = (await webhookEventsOf(t, owner.workspaceId, 'identity.failure_spike')).length;
      const log = t.services.identityLog;
      const flush = log.flush.bind(log);
      // The check reads the workspaces, then flushes the log: the other process claims in between.
      log.flush = async () => {
        await flush();
        await t.deps.db
          .updateTable('workspaces')
          .set({ identity_alert_sent_at: t.clock.now() })
          .where('id', '=', owner.workspaceId)
          .execute();
      };
      try {
        expect((await t.services.identityAlerts.runOnce()).alerted).toEqual([]);
      } finally {
        log.flush = flush;
      }
      expect(await webhookEventsOf(t, owner.workspaceId, 'identity.failure_spike')).toHaveLength(before);
    });
  });
}
