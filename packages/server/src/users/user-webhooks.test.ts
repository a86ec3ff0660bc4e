import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  call,
  createApiKey,
  createWidget,
  identify,
  otherWorkspaceOwner,
  setupOwner,
  sign,
  startSession,
  type Session,
} from '../test-support/api-helpers.js';

const USER_EVENTS = ['user.created', 'user.updated', 'user.verified', 'user.erased'];

for (const dialect of DIALECTS) {
  describe(`user.* webhook events [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: Awaited<ReturnType<typeof createWidget>>;
    let key: string;

    beforeAll(async () => {
      // The outbox is what is asserted here: no process sends from it (the dispatcher's own tests cover sending).
      t = await createTestApp(dialect, { env: { LUMIO_WEBHOOK_DELIVERY: 'false' } });
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      key = await createApiKey(t, owner);
      await addEndpoint(owner.workspaceId, 'whe_users', USER_EVENTS);
    });
    afterAll(async () => t?.close());

    async function addEndpoint(workspaceId: string, id: string, events: string[]): Promise<void> {
      const now = t.clock.now();
      await t.deps.db
        .insertInto('webhook_endpoints')
        .values({
          id,
          workspace_id: workspaceId,
          url: 'https://hooks.example.com/lumio',
          events: t.deps.adapter.json(events) as never,
          secret_ciphertext: 'not-used-here',
          created_by: null,
          created_at: now,
          updated_at: now,
          disabled_at: null,
        })
        .execute();
    }

    /** The outbox's events of a workspace since the last take (then emptied), as type and data. */
    async function take(workspaceId = owner.workspaceId): Promise<Array<{ type: string; data: Record<string, any> }>> {
      const rows = await t.deps.db.selectFrom('webhook_events').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute();
      const deliveries = await t.deps.db.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId).execute();
      for (const row of rows) expect(deliveries.filter((d) => d.event_id === row.id).map((d) => d.state)).toEqual(['pending']);
      await t.deps.db.deleteFrom('webhook_deliveries').where('workspace_id', '=', workspaceId).execute();
      await t.deps.db.deleteFrom('webhook_events').where('workspace_id', '=', workspaceId).execute();
      const events = rows.map((r) => {
        const payload = JSON.parse(r.payload);
        expect(payload).toMatchObject({ id: r.id, type: r.type, workspace_id: workspaceId, version: expect.any(Number) });
        return { type: r.type, data: payload.data };
      });
      // Ids are random: put the events in a stable order for comparing.
      return events.sort((a, b) => USER_EVENTS.indexOf(a.type) - USER_EVENTS.indexOf(b.type));
    }

    const signed = (token: string, userId: string, body: Record<string, unknown> = {}) =>
      identify(t, widget.widgetId, token, { userId, signature: sign(userId, widget.secret), ...body });
    const put = (userId: string, payload: object) =>
      call(t.app, { method: 'PUT', url: `/server/v1/users/${userId}`, bearer: key, payload });

    it('tells of a user created and verified by identify, never of a repeat, and of each changed value', async () => {
      const s = await startSession(t, widget.widgetId);
      const first = await signed(s.token, 'wh-1', { name: 'Ada', properties: { plan: 'pro' } });
      expect(first.status).toBe(200);
      const created = await take();
      expect(created.map((e) => e.type)).toEqual(['user.created', 'user.verified']);
      expect(Object.keys(created[0]!.data.user).sort()).toEqual(['created_at', 'email', 'id', 'name', 'properties', 'trust', 'updated_at']);
      expect(created[0]!.data.user).toMatchObject({
        id: 'wh-1',
        name: 'Ada',
        email: null,
        trust: 'verified',
        properties: { plan: 'pro' },
        created_at: new Date(t.clock.now()).toISOString(),
      });

      // A repeat identify changes nothing and tells nothing.
      await signed(first.body.token, 'wh-1', { name: 'Ada', properties: { plan: 'pro' } });
      expect(await take()).toEqual([]);

      await signed(first.body.token, 'wh-1', { name: 'Ada', properties: { plan: 'team', seats: 3 } });
      const updated = await take();
      expect(updated.map((e) => [e.type, e.data.changed])).toEqual([['user.updated', ['properties.plan', 'properties.seats']]]);
      expect(updated[0]!.data.user.properties).toEqual({ plan: 'team', seats: 3 });
    });

    it('tells user.verified once, on the first verified identify of a user first seen unverified', async () => {
      const s = await startSession(t, widget.widgetId);
      const unsigned = await identify(t, widget.widgetId, s.token, { userId: 'wh-2' });
      expect(unsigned.body.state).toBe('identified');
      expect((await take()).map((e) => [e.type, e.data.user.trust])).toEqual([['user.created', 'identified']]);
      await signed(s.token, 'wh-2');
      expect((await take()).map((e) => [e.type, e.data.user.id])).toEqual([['user.verified', 'wh-2']]);
      const other = await startSession(t, widget.widgetId);
      await signed(other.token, 'wh-2');
      expect(await take()).toEqual([]);
    });

    it('tells of server API upserts, a merge and an erasure', async () => {
      expect((await put('wh-3', { email: 'grace@example.com' })).status).toBe(200);
      expect((await take()).map((e) => [e.type, e.data.user.email])).toEqual([['user.created', 'grace@example.com']]);
      await put('wh-3', { email: 'grace@example.com' });
      expect(await take()).toEqual([]);
      await put('wh-3', { name: 'Grace', properties: { plan: 'pro' } });
      expect((await take()).map((e) => [e.type, e.data.changed])).toEqual([['user.updated', ['name', 'properties.plan']]]);

      const merge = await call(t.app, { method: 'POST', url: '/server/v1/users/wh-3/merge', bearer: key, payload: { from: 'wh-1' } });
      expect(merge.status).toBe(200);
      const merged = await take();
      // The survivor is updated (and verified: wh-1 was); the old id is not erased, it lives on as an alias.
      expect(merged.map((e) => e.type)).toEqual(['user.updated', 'user.verified']);
      expect(merged[0]!.data).toMatchObject({ merged_from: 'wh-1', user: { id: 'wh-3', trust: 'verified' } });
      expect(merged[0]!.data.changed).toEqual(['properties.seats']);

      const erase = await call(t.app, { method: 'DELETE', url: '/server/v1/users/wh-3', bearer: key });
      expect(erase.status).toBe(200);
      expect(await take()).toEqual([{ type: 'user.erased', data: { user: { id: 'wh-3' } } }]);
      // The merged old id went with the person: it no longer resolves, and a new user of that id is a stranger.
      const aliases = await t.deps.db.selectFrom('user_aliases').selectAll().where('workspace_id', '=', owner.workspaceId).execute();
      expect(aliases).toEqual([]);
      expect((await call(t.app, { method: 'GET', url: '/server/v1/users/wh-1', bearer: key })).status).toBe(404);
      // Erasing again finds nothing: a 404 and no event.
      expect((await call(t.app, { method: 'DELETE', url: '/server/v1/users/wh-3', bearer: key })).status).toBe(404);
      expect(await take()).toEqual([]);
    });

    it('tells user.created, with merged_from, when a merge creates the survivor', async () => {
      await put('wh-4', { name: 'Lin' });
      await take();
      const merge = await call(t.app, { method: 'POST', url: '/server/v1/users/wh-fresh/merge', bearer: key, payload: { from: 'wh-4' } });
      expect(merge.body).toMatchObject({ merged: true, created: true, userId: 'wh-fresh' });
      const events = await take();
      expect(events.map((e) => [e.type, e.data.merged_from, e.data.user.id, e.data.user.name])).toEqual([
        ['user.created', 'wh-4', 'wh-fresh', 'Lin'],
      ]);
    });

    it('writes nothing for a workspace whose endpoints do not want user events', async () => {
      const other = await otherWorkspaceOwner(t, 'webhooks-other@example.com');
      await addEndpoint(other.workspaceId, 'whe_companies', ['company.updated']);
      const otherWidget = await createWidget(t, other);
      const s = await startSession(t, otherWidget.widgetId);
      const res = await identify(t, otherWidget.widgetId, s.token, { userId: 'quiet', signature: sign('quiet', otherWidget.secret) });
      expect(res.status).toBe(200);
      expect(await take(other.workspaceId)).toEqual([]);
      // A workspace with no endpoint at all: nothing either.
      const third = await otherWorkspaceOwner(t, 'webhooks-third@example.com');
      const thirdWidget = await createWidget(t, third);
      const s3 = await startSession(t, thirdWidget.widgetId);
      await identify(t, thirdWidget.widgetId, s3.token, { userId: 'quiet', signature: sign('quiet', thirdWidget.secret) });
      expect(await take(third.workspaceId)).toEqual([]);
    });
  });
}
