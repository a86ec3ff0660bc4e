import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView } from '@lumio/protocol';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, addMember, call, createWidget, setupOwner, type Session } from '../test-support/api-helpers.js';

const WRONG = 'not-the-password-9f3a';

for (const dialect of DIALECTS) {
  describe(`reveal refused at the password re-ask is audited [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let admin: Session;

    beforeAll(async () => {
      // A low failure limit keeps the password hashing of the flood test short.
      t = await createTestApp(dialect, { config: { rateLimits: { loginFailuresPerSource: 3 } } });
      owner = await setupOwner(t);
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
    }, 60_000);
    afterAll(async () => t?.close());

    const reveal = (widgetId: string, password: string) =>
      call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/widgets/${widgetId}/secrets/reveal`,
        cookie: admin.cookie,
        payload: { password },
      });
    const denied = async (widgetId: string): Promise<AuditEntryView[]> => {
      const res = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/audit-log?action=secret.reveal_denied`,
        cookie: owner.cookie,
      });
      return (res.body.entries as AuditEntryView[]).filter((e) => e.target.id === widgetId);
    };

    it('records who tried, for which widget, without the password or any secret', async () => {
      const w = await createWidget(t, owner, { name: 'Storefront' });
      const res = await reveal(w.widgetId, WRONG);
      expect(res.body.error.code).toBe('reauthentication_required');
      const entries = await denied(w.widgetId);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'secret.reveal_denied',
        actor: { type: 'account', id: admin.accountId },
        target: { type: 'widget', id: w.widgetId, name: 'Storefront' },
        details: { reason: 'wrong_password' },
      });
      const raw = JSON.stringify(entries[0]);
      expect(raw).not.toContain(WRONG);
      expect(raw).not.toContain(w.secret);
      // The right password afterwards is a reveal, not a denial.
      expect((await reveal(w.widgetId, PASSWORD)).status).toBe(200);
      expect(await denied(w.widgetId)).toHaveLength(1);
    });

    it('cannot flood the log: once the sign-in throttle refuses, refused attempts write nothing', async () => {
      const w = await createWidget(t, owner, { name: 'Flood target' });
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) codes.push((await reveal(w.widgetId, WRONG)).body.error.code);
      expect(codes).toContain('rate_limited');
      const entries = await denied(w.widgetId);
      // Only the attempts the throttle let through (LUMIO_RATE_LOGIN_FAILURES_PER_SOURCE, 3 here, less the one above) are audited.
      expect(entries.length).toBe(codes.filter((c) => c === 'reauthentication_required').length);
      expect(entries.length).toBeLessThanOrEqual(t.deps.config.rateLimits.loginFailuresPerSource);
    }, 60_000);
  });
}
