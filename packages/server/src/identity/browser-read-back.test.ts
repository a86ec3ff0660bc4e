import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  call,
  createApiKey,
  createWidget,
  identify,
  setupOwner,
  sign,
  startSession,
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';

let sequence = 0;
const eventId = () => `evt_readback_${(sequence++).toString(36).padStart(6, '0')}`;

// What the browser may read back of its profile (docs/identify.md): standard traits,
// what the browser claimed, and server-set values only of keys the workspace lists.
for (const dialect of DIALECTS) {
  describe(`browser read-back of the profile [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; keyId: string; secret: string };
    let apiKey: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      apiKey = await createApiKey(t, owner);
    });
    afterAll(async () => t?.close());

    const serverPut = async (userId: string, payload: Record<string, unknown>) => {
      const res = await call(t.app, { method: 'PUT', url: `/server/v1/users/${userId}`, bearer: apiKey, payload });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    const verified = async (userId: string, profile: Record<string, unknown> = {}) => {
      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, { userId, signature: sign(userId, widget.secret), ...profile });
      expect(res.body.state).toBe('verified');
      return res.body.token as string;
    };
    const me = async (token: string) => {
      const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/me`, bearer: token });
      expect(res.status).toBe(200);
      return res.body.profile as {
        name: string | null;
        email: string | null;
        birthday: string | null;
        properties: Record<string, unknown>;
      };
    };
    const listVisible = async (keys: string[]) => {
      const res = await workspaceApi(t, owner)('PATCH', '/settings', { browserVisibleKeys: keys });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };

    it('hides a value the server API set from /me, shows the traits and what the browser claimed, until the key is listed', async () => {
      await serverPut('risky', {
        name: 'Risky Ray',
        birthday: '1968-04-03',
        properties: { internal_risk_score: 87, plan: 'enterprise' },
      });
      const token = await verified('risky', { email: 'ray@example.com', properties: { theme: 'dark' } });
      const hidden = await me(token);
      expect(hidden).toMatchObject({ name: 'Risky Ray', email: 'ray@example.com', birthday: '1968-04-03' });
      expect(hidden.properties).toEqual({ theme: 'dark' });
      // …while the stored profile, which targeting and analytics read, still holds it.
      expect((await t.services.users.get(owner.workspaceId, 'risky'))!.properties).toMatchObject({ internal_risk_score: 87 });

      await listVisible(['internal_risk_score']);
      expect((await me(token)).properties).toEqual({ theme: 'dark', internal_risk_score: 87 });
      await listVisible([]);
      expect((await me(token)).properties).toEqual({ theme: 'dark' });
    });

    it('hides the custom claims of a signed identity token, and a claimed value the server API later took over', async () => {
      const now = Math.floor(t.clock.now() / 1000);
      // Signed on the test's clock (the server's), as identify.test.ts does.
      const token = await new SignJWT({ name: 'Tina', email: 'tina@example.com', properties: { tier: 'gold' }, iat: now, exp: now + 600 })
        .setProtectedHeader({ alg: 'HS256', kid: widget.keyId })
        .setSubject('tokened')
        .sign(new TextEncoder().encode(widget.secret));
      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, { token, properties: { colour: 'teal' } });
      expect(res.body.state).toBe('verified');
      expect(await me(res.body.token)).toMatchObject({ name: 'Tina', email: 'tina@example.com', properties: { colour: 'teal' } });
      expect((await me(res.body.token)).properties).not.toHaveProperty('tier');
      // The browser claimed `colour`; once the host's backend sets it, it is the backend's value and hidden.
      await serverPut('tokened', { properties: { colour: 'internal-red' } });
      expect((await me(res.body.token)).properties).toEqual({});
    });

    it("never shows an unverified claimant a listed key's server value, nor a verified session's claims", async () => {
      await listVisible(['account_manager']);
      await serverPut('claimed-id', { email: 'real@example.com', properties: { account_manager: 'Sam' } });
      await verified('claimed-id', { properties: { theme: 'light' } });
      const claimant = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, claimant.token, { userId: 'claimed-id', properties: { nickname: 'x' } });
      expect(res.body.state).toBe('identified');
      expect(await me(res.body.token)).toEqual({ name: null, email: null, birthday: null, gender: null, properties: { nickname: 'x' } });
      // The verified user reads the listed key.
      expect((await me(await verified('claimed-id'))).properties).toEqual({ account_manager: 'Sam', theme: 'light', nickname: 'x' });
      await listVisible([]);
    });

    it('still targets announcements and filters analytics on a hidden server-set value', async () => {
      await serverPut('targeted', { properties: { internal_risk_score: 91 } });
      const api = workspaceApi(t, owner);
      const announcement = await api('POST', '/announcements', {
        kind: 'popup',
        title: 'Risk review',
        body: 'Let us talk.',
        status: 'live',
        audience: { condition: { internal_risk_score: { $gt: 80 } } },
      });
      expect(announcement.status, JSON.stringify(announcement.body)).toBe(201);
      const token = await verified('targeted');
      const feed = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/announcements`, bearer: token });
      expect(feed.body.announcements.map((a: { id: string }) => a.id)).toContain(announcement.body.id);
      expect((await me(token)).properties).not.toHaveProperty('internal_risk_score');

      const from = t.clock.now() - 1000;
      const sent = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${widget.widgetId}/events`,
        bearer: token,
        payload: { events: [{ id: eventId(), name: 'checkout_viewed', at: t.clock.now() }] },
      });
      expect(sent.body, JSON.stringify(sent.body)).toMatchObject({ accepted: 1 });
      const report = await api('POST', '/analytics/reports/series', {
        from,
        to: t.clock.now() + 3600_000,
        event: 'checkout_viewed',
        interval: 'day',
        condition: { internal_risk_score: { $gt: 80 } },
      });
      expect(report.status, JSON.stringify(report.body)).toBe(200);
      expect(report.body.totals).toEqual({ count: 1, uniques: 1 });
    });
  });
}
