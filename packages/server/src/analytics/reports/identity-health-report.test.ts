import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@lumio/protocol';
import { DIALECTS, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createWidget, identify, setupOwner, sign, startSession, type Session } from '../../test-support/api-helpers.js';
import { identityHealthReport, type IdentityHealthRequest } from './identity-health-report.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(`${iso}Z`);

for (const dialect of DIALECTS) {
  describe(`identity health report [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
    });
    afterAll(async () => t?.close());

    const report = (request: IdentityHealthRequest, workspaceId = owner.workspaceId) =>
      identityHealthReport(t.deps, t.services.identityLog, workspaceId, request);

    it('counts real identify calls: verified, identified and failed with the reason and what to fix', async () => {
      const optional = await createWidget(t, owner, { name: 'Optional' });
      const required = await createWidget(t, owner, { name: 'Required', verificationMode: 'required' });
      const call = async (widgetId: string, payload: Record<string, unknown>) =>
        identify(t, widgetId, (await startSession(t, widgetId)).token, payload);
      expect((await call(optional.widgetId, { userId: 'u1', signature: sign('u1', optional.secret) })).body.state).toBe('verified');
      expect((await call(optional.widgetId, { userId: 'u2', signature: sign('u2', optional.secret) })).body.state).toBe('verified');
      expect((await call(optional.widgetId, { userId: 'u3' })).body.state).toBe('identified');
      expect((await call(optional.widgetId, { userId: 'u4', signature: sign('u4', 'not the secret') })).status).toBe(401);
      expect((await call(required.widgetId, { userId: 'u5' })).status).toBe(401);
      expect((await call(required.widgetId, { userId: 'u6' })).status).toBe(401);

      // The clock stands at 12:00: one hourly bucket holds every call.
      const now = t.clock.now();
      const all = await report({ from: now - HOUR, to: now + HOUR, interval: 'hour' });
      expect(all).toEqual({
        interval: 'hour',
        buckets: [now - HOUR, now],
        verified: [0, 2],
        identified: [0, 1],
        failed: [0, 3],
        verifiedRate: [null, 2 / 6],
        failures: [
          { reason: 'signature_required', count: 2, hint: ErrorCodes.signature_required.message },
          { reason: 'invalid_signature', count: 1, hint: ErrorCodes.invalid_signature.message },
        ],
      });
      const one = await report({ from: now, to: now + HOUR, interval: 'hour', widgetId: required.widgetId });
      expect(one).toMatchObject({ verified: [0], identified: [0], failed: [2], verifiedRate: [0] });
      expect(one.failures.map((f) => f.reason)).toEqual(['signature_required']);
    });

    it('adds up stored hourly counts per bucket, for the workspace or one widget, over the range only', async () => {
      const { widgetId: w1 } = await createWidget(t, owner, { name: 'W1' });
      const { widgetId: w2 } = await createWidget(t, owner, { name: 'W2' });
      const rows = [
        { widget_id: w1, hour: at('2026-11-19T23:00:00'), outcome: 'verified', reason: 'ok', count: 50 },
        { widget_id: w1, hour: at('2026-11-20T10:00:00'), outcome: 'verified', reason: 'ok', count: 5 },
        { widget_id: w1, hour: at('2026-11-20T10:00:00'), outcome: 'identified', reason: 'ok', count: 1 },
        { widget_id: w1, hour: at('2026-11-20T10:00:00'), outcome: 'failed', reason: 'invalid_signature', count: 2 },
        { widget_id: w1, hour: at('2026-11-20T11:00:00'), outcome: 'failed', reason: 'invalid_identity_token', count: 3 },
        { widget_id: w1, hour: at('2026-11-20T11:00:00'), outcome: 'failed', reason: 'made_up_reason', count: 1 },
        { widget_id: w2, hour: at('2026-11-20T10:00:00'), outcome: 'verified', reason: 'ok', count: 2 },
      ];
      await t.deps.db
        .insertInto('identity_stats')
        .values(rows.map((r) => ({ ...r, workspace_id: owner.workspaceId })))
        .execute();
      // Another workspace's widget, same hour: never counted here.
      await t.deps.db
        .insertInto('identity_stats')
        .values({
          workspace_id: 'ws_other',
          widget_id: 'wgt_other',
          hour: at('2026-11-20T10:00:00'),
          outcome: 'failed',
          reason: 'x',
          count: 9,
        })
        .execute();

      const day = { from: at('2026-11-20T00:00:00'), to: at('2026-11-21T00:00:00') };
      const hourly = await report({ ...day, interval: 'hour' });
      expect(hourly.buckets).toHaveLength(24);
      expect(hourly.buckets[10]).toBe(at('2026-11-20T10:00:00'));
      expect([hourly.verified[10], hourly.identified[10], hourly.failed[10], hourly.verifiedRate[10]]).toEqual([7, 1, 2, 0.7]);
      expect([hourly.verified[11], hourly.failed[11], hourly.verifiedRate[11]]).toEqual([0, 4, 0]);
      expect(hourly.verifiedRate.filter((r) => r !== null)).toHaveLength(2);
      expect(hourly.failures).toEqual([
        { reason: 'invalid_identity_token', count: 3, hint: ErrorCodes.invalid_identity_token.message },
        { reason: 'invalid_signature', count: 2, hint: ErrorCodes.invalid_signature.message },
        { reason: 'made_up_reason', count: 1, hint: expect.stringContaining('identity log') },
      ]);

      const daily = await report({ ...day, interval: 'day' });
      expect(daily).toMatchObject({ buckets: [day.from], verified: [7], identified: [1], failed: [6], verifiedRate: [0.5] });
      const second = await report({ ...day, interval: 'day', widgetId: w2 });
      expect(second).toMatchObject({ verified: [2], failed: [0], verifiedRate: [1], failures: [] });
      // A mid-hour start still covers that hour's counts.
      const partial = await report({ from: at('2026-11-20T10:30:00'), to: at('2026-11-20T11:00:00'), interval: 'hour' });
      expect(partial).toMatchObject({ buckets: [at('2026-11-20T10:00:00')], verified: [7] });
    });

    it("refuses another workspace's widget, a reversed range and an hourly range too long", async () => {
      const other = await t.services.workspaces.create('Other', null, { type: 'system', id: null, ip: null });
      const { widgetId } = await createWidget(t, owner, { name: 'Mine' });
      const now = t.clock.now();
      await expect(report({ from: now - HOUR, to: now, interval: 'hour', widgetId }, other.id)).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(report({ from: now, to: now - HOUR, interval: 'hour' })).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(report({ from: now - 32 * 86_400_000, to: now, interval: 'hour' })).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(report({ from: now - 32 * 86_400_000, to: now, interval: 'day' })).resolves.toMatchObject({ interval: 'day' });
    });
  });
}
