import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  call,
  createWidget,
  identify,
  otherWorkspaceOwner,
  setupOwner,
  sign,
  startSession,
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';
import { insertWebhookEndpoint } from '../test-support/webhook-receiver.js';
import { webhookEventsOf } from '../test-support/webhook-rows.js';

for (const dialect of DIALECTS) {
  describe(`announcement webhook events [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; secret: string };
    let wanting: string;
    let all: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      wanting = (
        await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, owner.workspaceId, 'https://receiver.example.com/hook', {
          events: ['announcement.clicked', 'announcement.dismissed'],
          json: (v: unknown) => t.adapter.json(v),
          now: t.clock.now(),
        })
      ).id;
      all = (
        await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, owner.workspaceId, 'https://receiver.example.com/hook', {
          events: ['*'],
          json: (v: unknown) => t.adapter.json(v),
          now: t.clock.now(),
        })
      ).id;
      // Wants something else: never gets an announcement delivery.
      (
        await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, owner.workspaceId, 'https://receiver.example.com/hook', {
          events: ['user.created'],
          json: (v: unknown) => t.adapter.json(v),
          now: t.clock.now(),
        })
      ).id;
    });
    afterAll(async () => t?.close());

    const create = async (s: Session, title: string) => {
      const res = await workspaceApi(t, s)('POST', '/announcements', { kind: 'popup', title, body: 'Hi', status: 'live' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const event = (widgetId: string, token: string, id: string, type: string) =>
      call(t.app, { method: 'POST', url: `/widget/v1/${widgetId}/announcements/${id}/events`, bearer: token, payload: { type } });
    const verified = async (userId: string) => {
      const session = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, session.token, { userId, signature: sign(userId, widget.secret) });
      expect(res.body.state).toBe('verified');
      return { token: res.body.token as string, anonymousId: session.anonymousId };
    };

    it('records announcement.clicked once per viewer, in the payload shape, for each endpoint that wants it', async () => {
      const id = await create(owner, 'Spring <b>sale</b>');
      const user = await verified('u-clicker');
      expect((await event(widget.widgetId, user.token, id, 'seen')).status).toBe(200);
      expect((await event(widget.widgetId, user.token, id, 'clicked')).status).toBe(200);
      // A repeat changes no state and records no event.
      expect((await event(widget.widgetId, user.token, id, 'clicked')).status).toBe(200);
      const events = await webhookEventsOf(t, owner.workspaceId, 'announcement.clicked');
      expect(events).toHaveLength(1);
      const [clicked] = events;
      expect(clicked!.payload).toEqual({
        id: clicked!.id,
        type: 'announcement.clicked',
        version: 1,
        created_at: new Date(t.clock.now()).toISOString(),
        workspace_id: owner.workspaceId,
        data: {
          announcement: { id, title: 'Spring <b>sale</b>' },
          user: { id: 'u-clicker' },
          anonymous_id: user.anonymousId,
          trust: 'verified',
          at: new Date(t.clock.now()).toISOString(),
        },
      });
      expect(clicked!.deliveries.map((d) => [d.endpoint_id, d.state, d.workspace_id]).sort()).toEqual(
        [
          [wanting, 'pending', owner.workspaceId],
          [all, 'pending', owner.workspaceId],
        ].sort(),
      );
      // Seen is no webhook event (the identify above told user.* events to the endpoint wanting all).
      const types = await t.deps.db.selectFrom('webhook_events').select('type').where('workspace_id', '=', owner.workspaceId).execute();
      expect(types.map((r) => r.type).filter((type) => type.startsWith('announcement.'))).toEqual(['announcement.clicked']);
    });

    it('records announcement.dismissed once, and an anonymous viewer as user null', async () => {
      const id = await create(owner, 'Maintenance');
      const anon = await startSession(t, widget.widgetId);
      expect((await event(widget.widgetId, anon.token, id, 'dismissed')).status).toBe(200);
      expect((await event(widget.widgetId, anon.token, id, 'dismissed')).status).toBe(200);
      t.clock.advance(1000);
      // A click after the dismissal is a change of its own.
      expect((await event(widget.widgetId, anon.token, id, 'clicked')).status).toBe(200);
      const dismissed = await webhookEventsOf(t, owner.workspaceId, 'announcement.dismissed');
      expect(dismissed).toHaveLength(1);
      expect(dismissed[0]!.payload.data).toEqual({
        announcement: { id, title: 'Maintenance' },
        user: null,
        anonymous_id: anon.anonymousId,
        trust: 'anonymous',
        at: new Date(t.clock.now() - 1000).toISOString(),
      });
      const clicked = (await webhookEventsOf(t, owner.workspaceId, 'announcement.clicked')).filter(
        (e) => e.payload.data.announcement.id === id,
      );
      expect(clicked).toHaveLength(1);
      // The stored state keeps the first time, as before.
      const state = await t.deps.db
        .selectFrom('announcement_states')
        .selectAll()
        .where('announcement_id', '=', id)
        .executeTakeFirstOrThrow();
      expect([Number(state.dismissed_at), Number(state.clicked_at)]).toEqual([t.clock.now() - 1000, t.clock.now()]);
    });

    it('records nothing for an announcement the session cannot see, nor in a workspace with no endpoint wanting it', async () => {
      const before = (await webhookEventsOf(t, owner.workspaceId, 'announcement.clicked')).length;
      const anon = await startSession(t, widget.widgetId);
      expect((await event(widget.widgetId, anon.token, 'ann_missing', 'clicked')).status).toBe(404);
      expect(await webhookEventsOf(t, owner.workspaceId, 'announcement.clicked')).toHaveLength(before);

      const other = await otherWorkspaceOwner(t);
      (
        await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, other.workspaceId, 'https://receiver.example.com/hook', {
          events: ['user.updated', 'company.updated'],
          json: (v: unknown) => t.adapter.json(v),
          now: t.clock.now(),
        })
      ).id;
      const otherWidget = await createWidget(t, other);
      const id = await create(other, 'Elsewhere');
      const session = await startSession(t, otherWidget.widgetId);
      expect((await event(otherWidget.widgetId, session.token, id, 'clicked')).status).toBe(200);
      expect((await event(otherWidget.widgetId, session.token, id, 'dismissed')).status).toBe(200);
      expect(await t.deps.db.selectFrom('webhook_events').select('id').where('workspace_id', '=', other.workspaceId).execute()).toEqual([]);
      expect(await t.deps.db.selectFrom('webhook_deliveries').select('id').where('workspace_id', '=', other.workspaceId).execute()).toEqual(
        [],
      );
      const state = await t.deps.db
        .selectFrom('announcement_states')
        .selectAll()
        .where('announcement_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(state.clicked_at).not.toBeNull();
    });
  });
}
