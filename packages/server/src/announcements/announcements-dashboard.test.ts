import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  addMember,
  call,
  createWidget,
  identify,
  setupOwner,
  sign,
  startSession,
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';

// What the dashboard's announcement pages call besides the CRUD routes: the
// Markdown preview and the list's key numbers in one request.
for (const dialect of DIALECTS) {
  describe(`announcements for the dashboard [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;
    let widget: { widgetId: string; secret: string };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'member@example.com', 'member');
      widget = await createWidget(t, owner);
    });
    afterAll(async () => t?.close());

    const api = (s: Session, method: string, path: string, payload?: unknown) => workspaceApi(t, s)(method, path, payload);

    it('renders a preview with the same sanitiser as a save, storing nothing', async () => {
      const body =
        '# Hi\n\n**New** [pricing](https://example.com) <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>';
      const preview = await api(member, 'POST', '/announcements/preview', { body });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      const saved = await api(member, 'POST', '/announcements', { kind: 'post', title: 'Preview check', body });
      expect(preview.body.html).toBe(saved.body.html);
      expect(preview.body.html).toContain('<strong>New</strong>');
      expect(preview.body.html).not.toMatch(/<script|onerror|javascript:/i);
      const list = await api(member, 'GET', '/announcements');
      expect(list.body.announcements).toHaveLength(1);
      expect((await api(member, 'POST', '/announcements/preview', { body: 'x'.repeat(20_001) })).body.error.code).toBe('invalid_request');
      expect((await api(member, 'POST', '/announcements/preview', { body: 'x', extra: 1 })).status).toBe(400);
    });

    it('answers the stats of every announcement in one request, scoped to the workspace', async () => {
      const create = async (title: string) => {
        const res = await api(member, 'POST', '/announcements', { kind: 'popup', title, status: 'live' });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body.id as string;
      };
      const first = await create('First');
      const second = await create('Second');
      const untouched = await create('Untouched');
      const event = (token: string, id: string, type: string) =>
        call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/announcements/${id}/events`, bearer: token, payload: { type } });
      for (const userId of ['u-1', 'u-2']) {
        const session = await startSession(t, widget.widgetId);
        const res = await identify(t, widget.widgetId, session.token, { userId, signature: sign(userId, widget.secret) });
        const token = res.body.token as string;
        await event(token, first, 'seen');
        if (userId === 'u-1') await event(token, first, 'clicked');
        if (userId === 'u-2') {
          await event(token, second, 'seen');
          await event(token, second, 'dismissed');
        }
      }
      const stats = await api(member, 'GET', '/announcements/stats');
      expect(stats.status).toBe(200);
      expect(stats.body.stats[first]).toEqual({ seen: 2, clicked: 1, dismissed: 0 });
      expect(stats.body.stats[second]).toEqual({ seen: 1, clicked: 0, dismissed: 1 });
      expect(stats.body.stats[untouched]).toBeUndefined();
      // Same numbers as the one-announcement route.
      expect((await api(member, 'GET', `/announcements/${first}/stats`)).body).toEqual(stats.body.stats[first]);

      // Another workspace's team sees none of them.
      const other = await call(t.app, { method: 'POST', url: '/api/v1/workspaces', cookie: owner.cookie, payload: { name: 'Elsewhere' } });
      expect(other.status, JSON.stringify(other.body)).toBe(201);
      const elsewhere = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${other.body.id}/announcements/stats`,
        cookie: owner.cookie,
      });
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.body.stats).toEqual({});
    });
  });
}
