import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createWidget, setupOwner, startSession, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { up as addBannerPlacement } from '../db/migrations/0015-banner-placement.js';

// A banner overlays the host page or pushes it (bannerPlacement): its own
// choice, else the showing widget's default, which is overlay until changed.
for (const dialect of DIALECTS) {
  describe(`banner placement [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
    });
    afterAll(async () => t?.close());

    const api = (method: string, path: string, payload?: unknown) => workspaceApi(t, owner)(method, path, payload);
    const banner = async (body: Record<string, unknown> = {}) => {
      const res = await api('POST', '/announcements', { kind: 'banner', title: 'Maintenance', status: 'live', ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; bannerPlacement: string | null };
    };
    // What the widget receives, by announcement id.
    const delivered = async (widgetId = widget.widgetId) => {
      const { token } = await startSession(t, widgetId);
      const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widgetId}/announcements`, bearer: token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const answer = res.body as { appearance: { bannerPlacement: string }; announcements: Array<{ id: string; bannerPlacement: string }> };
      return { appearance: answer.appearance, placement: new Map(answer.announcements.map((a) => [a.id, a.bannerPlacement])) };
    };
    const setWidgetDefault = (bannerPlacement: unknown, widgetId = widget.widgetId) =>
      api('PATCH', `/widgets/${widgetId}`, { appearance: { bannerPlacement } });

    it('stores an announcement’s own placement, changes it, and clears it back to the widget’s default', async () => {
      const pushed = await banner({ bannerPlacement: 'push' });
      expect(pushed.bannerPlacement).toBe('push');
      expect((await api('GET', `/announcements/${pushed.id}`)).body.bannerPlacement).toBe('push');
      const overlaid = await api('PATCH', `/announcements/${pushed.id}`, { bannerPlacement: 'overlay' });
      expect(overlaid.body.bannerPlacement).toBe('overlay');
      const cleared = await api('PATCH', `/announcements/${pushed.id}`, { bannerPlacement: null });
      expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
      expect(cleared.body.bannerPlacement).toBeNull();
      expect(
        (await api('GET', '/announcements')).body.announcements.find((a: { id: string }) => a.id === pushed.id).bannerPlacement,
      ).toBeNull();
      // Each change is audited by field name.
      const audit = await t.adapter.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'announcement.update')
        .where('target_id', '=', pushed.id)
        .execute();
      expect(audit.map((row) => JSON.stringify(row.details))).toEqual(expect.arrayContaining([expect.stringContaining('bannerPlacement')]));
      // A banner written without one follows the widget.
      expect((await banner()).bannerPlacement).toBeNull();
    });

    it('refuses a placement that is neither overlay nor push, naming the field', async () => {
      for (const bad of ['sideways', '', 'PUSH', 1, true, { push: true }]) {
        const created = await api('POST', '/announcements', { kind: 'banner', title: 'Bad', bannerPlacement: bad });
        expect(created.status, JSON.stringify(created.body)).toBe(400);
        expect(created.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'bannerPlacement' } });
      }
      const { id } = await banner();
      const patched = await api('PATCH', `/announcements/${id}`, { bannerPlacement: 'float' });
      expect(patched.status).toBe(400);
      expect(patched.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'bannerPlacement' } });
      expect((await api('GET', `/announcements/${id}`)).body.bannerPlacement).toBeNull();

      const widgetPatch = await setWidgetDefault('sideways');
      expect(widgetPatch.status).toBe(400);
      expect(widgetPatch.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'appearance.bannerPlacement' } });
    });

    it('delivers each banner’s placement resolved: its own, else the widget’s default (overlay until changed)', async () => {
      const own = await banner({ bannerPlacement: 'push' });
      const ownOverlay = await banner({ bannerPlacement: 'overlay' });
      const follows = await banner();
      const placements = ({ placement }: Awaited<ReturnType<typeof delivered>>) =>
        [own, ownOverlay, follows].map((a) => placement.get(a.id));
      const before = await delivered();
      expect(before.appearance.bannerPlacement).toBe('overlay');
      expect(placements(before)).toEqual(['push', 'overlay', 'overlay']);

      const changed = await setWidgetDefault('push');
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body.appearance).toMatchObject({ bannerPlacement: 'push', position: 'bottom-right' });
      const after = await delivered();
      expect(after.appearance.bannerPlacement).toBe('push');
      expect(placements(after)).toEqual(['push', 'overlay', 'push']);
      // Another widget of the workspace keeps its own default.
      const other = await createWidget(t, owner, { name: 'Docs site' });
      expect((await delivered(other.widgetId)).placement.get(follows.id)).toBe('overlay');
      await setWidgetDefault('overlay');
    });

    it('reads a widget saved before placements existed as overlay', async () => {
      const { widgetId } = await createWidget(t, owner, { name: 'Old widget' });
      await t.adapter.db
        .updateTable('widgets')
        .set({ appearance: t.adapter.json({ color: '#112233', position: 'bottom-left' }) })
        .where('id', '=', widgetId)
        .execute();
      expect((await api('GET', `/widgets/${widgetId}`)).body.appearance).toEqual({
        color: '#112233',
        position: 'bottom-left',
        bannerPlacement: 'overlay',
      });
      // Changing its colour keeps the default it reads as.
      const res = await api('PATCH', `/widgets/${widgetId}`, { appearance: { color: '#445566' } });
      expect(res.body.appearance).toEqual({ color: '#445566', position: 'bottom-left', bannerPlacement: 'overlay' });
    });

    it('migration 0015: banners saved before it keep overlaying the page', async () => {
      const db = t.adapter.db as unknown as Kysely<unknown>;
      const old = await banner({ title: 'Saved before 0015' });
      // The schema as it was before 0015, with the row as it was saved then.
      await sql`alter table announcements drop column banner_placement`.execute(db);
      await addBannerPlacement(db);
      const row = await t.adapter.db
        .selectFrom('announcements')
        .select('banner_placement')
        .where('id', '=', old.id)
        .executeTakeFirstOrThrow();
      expect(row.banner_placement).toBeNull();
      expect((await api('GET', `/announcements/${old.id}`)).body.bannerPlacement).toBeNull();
      // The delivery cache was filled before: a change drops it, as any save does.
      await api('PATCH', `/announcements/${old.id}`, { priority: 1 });
      expect((await delivered()).placement.get(old.id)).toBe('overlay');
    });
  });
}
