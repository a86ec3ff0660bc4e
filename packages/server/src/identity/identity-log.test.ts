import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createWidget, identify, setupOwner, sign, startSession, type Session } from '../test-support/api-helpers.js';
import { IDENTITY_LOG_FLUSH_INTERVAL_MS, REPEAT_SUCCESS_WINDOW_MS, type IdentityLogEntry } from './identity-log.js';

for (const dialect of DIALECTS) {
  describe(`identity log [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { identityLogMaxEntriesPerWidget: 10 } });
      owner = await setupOwner(t);
    });
    afterAll(async () => t?.close());

    const logOf = async (widgetId: string, query = '') => {
      const res = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/widgets/${widgetId}/identity-log?limit=100${query}`,
        cookie: owner.cookie,
      });
      expect(res.status).toBe(200);
      return res.body.entries as Array<{ outcome: string; reason: string; userId: string | null }>;
    };
    const totals = async (widgetId: string) => {
      const res = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/widgets/${widgetId}/identity-stats?hours=2`,
        cookie: owner.cookie,
      });
      return res.body.total;
    };

    it('writes an entry to the database within the flush interval, without anyone reading the log', async () => {
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      const refused = await identify(t, w.widgetId, s.token, { userId: 'flush-bound', signature: 'bad' });
      expect(refused.status).toBe(401);
      const stored = () => t.deps.db.selectFrom('identity_log').select(['reason', 'user_id']).where('widget_id', '=', w.widgetId).execute();
      // Read straight from the table: list() would flush first and hide a missing timer.
      await new Promise((resolve) => setTimeout(resolve, IDENTITY_LOG_FLUSH_INTERVAL_MS + 250));
      expect(await stored()).toEqual([{ reason: 'invalid_signature', user_id: 'flush-bound' }]);
    });

    it('counts every identify, logs a repeated success once per session per window, and every failure', async () => {
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      const body = { userId: 'page-loads', signature: sign('page-loads', w.secret) };
      for (let i = 0; i < 5; i++) expect((await identify(t, w.widgetId, s.token, body)).status).toBe(200);
      for (let i = 0; i < 3; i++) await identify(t, w.widgetId, s.token, { userId: 'page-loads', signature: 'bad' });
      // Another session of the same user is a new line.
      const other = await startSession(t, w.widgetId);
      await identify(t, w.widgetId, other.token, body);
      expect(await totals(w.widgetId)).toMatchObject({ verified: 6, failed: 3 });
      const entries = await logOf(w.widgetId);
      expect(entries.filter((e) => e.outcome === 'verified')).toHaveLength(2);
      expect(entries.filter((e) => e.outcome === 'failed')).toHaveLength(3);
      // After the window the same session's success is logged again.
      t.clock.advance(REPEAT_SUCCESS_WINDOW_MS);
      await identify(t, w.widgetId, s.token, body);
      expect((await logOf(w.widgetId, '&outcome=verified')).length).toBe(3);
    });

    it('bounds failures and successes apart, so successes never push out failures', async () => {
      const w = await createWidget(t, owner);
      const entry = (i: number, outcome: IdentityLogEntry['outcome']): IdentityLogEntry => ({
        workspaceId: owner.workspaceId,
        widgetId: w.widgetId,
        outcome,
        reason: outcome === 'failed' ? 'invalid_signature' : 'ok',
        diagnosis: null,
        userId: `u${i}`,
        anonymousId: `anon_${outcome}_${i}`,
        keyId: null,
        ip: null,
        at: t.clock.now(),
      });
      for (let i = 0; i < 15; i++) t.services.identityLog.record(entry(i, 'failed'));
      for (let i = 0; i < 400; i++) t.services.identityLog.record(entry(i, 'verified'));
      await t.services.identityLog.flush();
      await t.services.identityLog.prune(owner.workspaceId, w.widgetId);
      const failures = await logOf(w.widgetId, '&outcome=failed');
      expect(failures.map((e) => e.userId)).toEqual(Array.from({ length: 10 }, (_, i) => `u${14 - i}`));
      const successes = await logOf(w.widgetId, '&outcome=verified');
      expect(successes).toHaveLength(10);
      expect(successes[0]!.userId).toBe('u399');
      expect(await totals(w.widgetId)).toMatchObject({ verified: 400, failed: 15 });
    });
  });
}
