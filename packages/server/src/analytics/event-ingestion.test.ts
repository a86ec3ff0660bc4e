import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createApiKey, createWidget, identify, setupOwner, sign, startSession, type Session } from '../test-support/api-helpers.js';

let sequence = 0;
/** A unique event id of the SDK's form. */
const eventId = () => `evt_${(sequence++).toString(36).padStart(10, '0')}`;

for (const dialect of DIALECTS) {
  describe(`event ingestion [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; secret: string };
    let apiKey: string;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: { eventsPerWorkspacePerMinute: 1000 } } });
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      apiKey = await createApiKey(t, owner);
    });
    afterAll(async () => t?.close());

    const send = (token: string, events: unknown[], widgetId = widget.widgetId) =>
      call(t.app, { method: 'POST', url: `/widget/v1/${widgetId}/events`, bearer: token, payload: { events } });
    const event = (name: string, props?: Record<string, unknown>, at = t.clock.now()) => ({
      id: eventId(),
      name,
      at,
      ...(props ? { props } : {}),
    });
    const stored = (where: { person?: string; anonymousId?: string }) => {
      let q = t.deps.db.selectFrom('events').selectAll().where('workspace_id', '=', owner.workspaceId);
      if (where.person) q = q.where('person', '=', where.person);
      if (where.anonymousId) q = q.where('anonymous_id', '=', where.anonymousId);
      return q.orderBy('id').execute();
    };
    const verified = async (userId: string, properties: Record<string, unknown> = {}) => {
      const session = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, session.token, { userId, signature: sign(userId, widget.secret), properties });
      expect(res.body.state).toBe('verified');
      return { token: res.body.token as string, anonymousId: session.anonymousId };
    };

    it('stores a batch once: a retried batch and a repeated id in one batch are duplicates, not counted twice', async () => {
      const { token, anonymousId } = await startSession(t, widget.widgetId);
      const batch = [
        event('$widget_opened'),
        event('$article_viewed', { articleId: 'art_1' }),
        event('Report exported', { format: 'csv' }),
      ];
      const first = await send(token, batch);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
      const retry = await send(token, [...batch, batch[0]]);
      expect(retry.body).toEqual({ accepted: 0, duplicates: 4, rejected: [] });
      const rows = await stored({ anonymousId });
      expect(rows.map((r) => [r.name, r.object, r.person, r.trust, r.snapshot_id])).toEqual([
        ['$widget_opened', null, `a:${anonymousId}`, 'anonymous', 0],
        ['$article_viewed', 'art_1', `a:${anonymousId}`, 'anonymous', 0],
        ['Report exported', null, `a:${anonymousId}`, 'anonymous', 0],
      ]);
      const days = await t.deps.db.selectFrom('event_person_days').selectAll().where('person', '=', `a:${anonymousId}`).execute();
      expect(days.map((d) => Number(d.events))).toEqual([3]);
    });

    it('refuses bad events one by one with a stable code and keeps the good ones of the batch', async () => {
      const { token, anonymousId } = await startSession(t, widget.widgetId);
      const now = t.clock.now();
      const good = event('$article_searched', { query: '  Reset   PASSWORD ', results: 0 });
      const res = await send(token, [
        good,
        event('$made_up'),
        { ...event('Old'), at: now - 73 * 3600_000 },
        { ...event('Future'), at: now + 11 * 60_000 },
        { ...event('Nested'), props: { a: { b: 1 } } },
        { ...event('$article_viewed'), props: {} },
        { ...event('$article_viewed'), props: { articleId: 'x', extra: 1 } },
        { id: 'short', name: 'x', at: now },
        'not an event',
        { ...event('Too many props'), props: Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, i])) },
      ]);
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(1);
      expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
        [1, 'unknown_event_type'],
        [2, 'event_time_out_of_range'],
        [3, 'event_time_out_of_range'],
        [4, 'invalid_event'],
        [5, 'invalid_event'],
        [6, 'invalid_event'],
        [7, 'invalid_event'],
        [8, 'invalid_event'],
        [9, 'invalid_event'],
      ]);
      const [row] = await stored({ anonymousId });
      expect(row!.object).toBe('reset password');
      const metrics = await call(t.app, { method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/lumio_events_rejected_total\{reason="unknown_event_type"\} [1-9]/);
    });

    it('refuses a whole batch that is not a batch, too large, or sent without a session', async () => {
      const { token } = await startSession(t, widget.widgetId);
      const tooMany = await send(
        token,
        Array.from({ length: 101 }, () => event('$widget_opened')),
      );
      expect(tooMany.status).toBe(413);
      expect(tooMany.body.error.code).toBe('too_many_events');
      const notArray = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${widget.widgetId}/events`,
        bearer: token,
        payload: { events: {} },
      });
      expect(notArray.body.error.code).toBe('invalid_request');
      const noSession = await call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/events`, payload: { events: [] } });
      expect(noSession.body.error.code).toBe('invalid_session');
      // A session of another widget (here: another workspace's) is no session here.
      const other = await setupOwner(t, 'other@example.com').catch(() => null);
      if (other) {
        const otherWidget = await createWidget(t, other);
        const res = await send(token, [event('$widget_opened')], otherWidget.widgetId);
        expect(res.body.error.code).toBe('invalid_session');
      }
    });

    it('attributes events to the session identity with a deduplicated snapshot of what that session may see', async () => {
      const key = apiKey;
      await call(t.app, { method: 'PUT', url: '/server/v1/users/ada', bearer: key, payload: { properties: { plan: 'pro' } } });
      const ada = await verified('ada', { role: 'admin' });
      await send(ada.token, [event('$widget_opened'), event('$widget_closed')]);
      await send(ada.token, [event('$widget_opened')]);
      // Someone claiming to be ada without a signature: their events are hers-unverified, with only what unverified sessions wrote.
      const claim = await startSession(t, widget.widgetId);
      // Her trusted plan is not the claimant's to change; a new key is stored as unverified.
      const claimed = await identify(t, widget.widgetId, claim.token, { userId: 'ada', properties: { plan: 'free', theme: 'dark' } });
      expect(claimed.body.state).toBe('identified');
      await send(claimed.body.token, [event('$widget_opened')]);

      const rows = await stored({ person: 'u:ada' });
      expect(rows.map((r) => r.trust)).toEqual(['verified', 'verified', 'verified', 'identified']);
      const verifiedSnapshot = rows[0]!.snapshot_id;
      expect(new Set(rows.slice(0, 3).map((r) => r.snapshot_id))).toEqual(new Set([verifiedSnapshot]));
      const snapshots = await t.deps.db.selectFrom('event_snapshots').selectAll().where('user_id', '=', 'ada').orderBy('id').execute();
      expect(snapshots).toHaveLength(2);
      const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      expect(parse(snapshots[0]!.properties)).toEqual({ plan: 'pro', role: 'admin' });
      expect(parse(snapshots[0]!.sources)).toEqual({ 'properties.plan': 'trusted', 'properties.role': 'claimed' });
      expect(snapshots[0]!.trust).toBe('verified');
      expect(parse(snapshots[1]!.properties)).toEqual({ theme: 'dark' });
      expect(parse(snapshots[1]!.sources)).toEqual({ 'properties.theme': 'unverified' });
      expect(snapshots[1]!.trust).toBe('identified');
    });

    it('attributes anonymous activity to the user after identify, and later anonymous events of a linked browser too', async () => {
      const { token, anonymousId } = await startSession(t, widget.widgetId);
      await send(token, [event('$widget_opened'), event('$article_viewed', { articleId: 'art_2' })]);
      expect((await stored({ anonymousId })).every((r) => r.person === `a:${anonymousId}`)).toBe(true);
      const res = await identify(t, widget.widgetId, token, { userId: 'grace', signature: sign('grace', widget.secret) });
      expect(res.body.state).toBe('verified');
      const after = await stored({ anonymousId });
      // Grace's now, each keeping the trust it was recorded with.
      expect(after.map((r) => [r.person, r.user_id, r.trust, r.snapshot_id])).toEqual([
        ['u:grace', 'grace', 'anonymous', 0],
        ['u:grace', 'grace', 'anonymous', 0],
      ]);
      const days = await t.deps.db
        .selectFrom('event_person_days')
        .selectAll()
        .where('workspace_id', '=', owner.workspaceId)
        .where('person', 'in', [`a:${anonymousId}`, 'u:grace'])
        .execute();
      expect(days.map((d) => [d.person, d.trust, Number(d.events)])).toEqual([['u:grace', 'anonymous', 2]]);
      // The same browser on its next page load, before identify runs again: still grace's.
      const again = await call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/session`, payload: { anonymousId } });
      await send(again.body.token, [event('$widget_opened')]);
      expect((await stored({ anonymousId })).map((r) => r.person)).toEqual(['u:grace', 'u:grace', 'u:grace']);
    });

    it("hands an unverified claim's anonymous events to the user a verified identify proves", async () => {
      const { token, anonymousId } = await startSession(t, widget.widgetId);
      await send(token, [event('$widget_opened')]);
      const claimed = await identify(t, widget.widgetId, token, { userId: 'mallory' });
      expect(claimed.body.state).toBe('identified');
      expect((await stored({ anonymousId })).map((r) => [r.person, r.trust])).toEqual([['u:mallory', 'anonymous']]);
      await send(claimed.body.token, [event('Claimed thing')]);
      const proved = await identify(t, widget.widgetId, claimed.body.token, { userId: 'linus', signature: sign('linus', widget.secret) });
      expect(proved.body.state).toBe('verified');
      // What the browser did anonymously is linus's; what it did while claiming to be mallory stays the claim's.
      expect((await stored({ anonymousId })).map((r) => [r.name, r.person, r.trust])).toEqual([
        ['$widget_opened', 'u:linus', 'anonymous'],
        ['Claimed thing', 'u:mallory', 'identified'],
      ]);
    });

    it("keeps a failed identify off the user's verified actions: it stays as recorded, with the userId it tried", async () => {
      const { token, anonymousId } = await startSession(t, widget.widgetId);
      // The browser tries to be bob with a forged signature, and records the failure as the SDK does.
      const forged = await identify(t, widget.widgetId, token, { userId: 'bob_victim', signature: sign('bob_victim', 'lsk_forged') });
      expect(forged.status).toBe(401);
      const at = t.clock.now();
      await send(token, [event('$identify', { outcome: 'failed', reason: 'invalid_signature', attemptedUserId: 'bob_victim' }, at - 3000)]);
      // Then it proves it is alice.
      const alice = await identify(t, widget.widgetId, token, { userId: 'alice_tl', signature: sign('alice_tl', widget.secret) });
      expect(alice.body.state).toBe('verified');
      await send(alice.body.token, [event('$identify', { outcome: 'verified' }, at - 2000)]);
      // A later page load whose anonymous session (linked to alice) fails an identify: recorded as anonymous too.
      const again = await call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/session`, payload: { anonymousId } });
      await send(again.body.token, [
        event('$identify', { outcome: 'failed', reason: 'invalid_signature', attemptedUserId: 'carol_victim' }, at - 1000),
      ]);

      const timeline = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/users/alice_tl/events?limit=10`,
        cookie: owner.cookie,
      });
      expect(timeline.status).toBe(200);
      const rows = (timeline.body.events as Array<{ name: string; trust: string; props: Record<string, unknown> }>)
        .map((e) => [e.props.outcome, e.trust, e.props.attemptedUserId ?? null])
        .reverse();
      expect(rows).toEqual([
        ['failed', 'anonymous', 'bob_victim'],
        ['verified', 'verified', null],
        ['failed', 'anonymous', 'carol_victim'],
      ]);
      // The daily rollups count them under the same trust as the events.
      const days = await t.deps.db
        .selectFrom('event_daily')
        .select(['trust', 'events'])
        .where('workspace_id', '=', owner.workspaceId)
        .where('person', '=', 'u:alice_tl')
        .where('name', '=', '$identify')
        .orderBy('trust')
        .execute();
      expect(days.map((d) => [d.trust, Number(d.events)])).toEqual([
        ['anonymous', 2],
        ['verified', 1],
      ]);
    });

    it("moves a user's last seen with their events, in the events' commit", async () => {
      const start = t.clock.now();
      const nia = await verified('nia_seen');
      const seenAt = async () => (await t.services.users.get(owner.workspaceId, 'nia_seen'))!.lastSeenAt;
      expect(await seenAt()).toBe(start);
      // Ten minutes later (within the session's life) the browser is still active: last seen follows its newest event.
      t.clock.current = start + 10 * 60_000;
      const later = t.clock.now();
      await send(nia.token, [event('$widget_opened', undefined, later - 5000), event('Report exported', undefined, later - 1000)]);
      expect(await seenAt()).toBe(later - 1000);
      // Through the anonymous link too, and never ahead of the server's clock (a fast browser clock).
      const again = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${widget.widgetId}/session`,
        payload: { anonymousId: nia.anonymousId },
      });
      t.clock.current = later + 10 * 60_000;
      await send(again.body.token, [event('$widget_closed', undefined, t.clock.now() + 5 * 60_000)]);
      expect(await seenAt()).toBe(t.clock.now());
    });

    it("erases a user's events, rollup rows and snapshots with the user", async () => {
      const zoe = await verified('zoe', { plan: 'pro' });
      await send(zoe.token, [event('$widget_opened'), event('$widget_closed')]);
      const keep = await verified('kept', { plan: 'pro' });
      await send(keep.token, [event('$widget_opened')]);
      const erased = await call(t.app, { method: 'DELETE', url: '/server/v1/users/zoe', bearer: apiKey });
      expect(erased.status).toBe(200);
      expect(erased.body.eventsDeleted).toBe(2);
      expect(await stored({ person: 'u:zoe' })).toEqual([]);
      expect(await t.deps.db.selectFrom('event_person_days').selectAll().where('person', '=', 'u:zoe').execute()).toEqual([]);
      expect(await t.deps.db.selectFrom('event_snapshots').selectAll().where('user_id', '=', 'zoe').execute()).toEqual([]);
      expect(await stored({ person: 'u:kept' })).toHaveLength(1);
      // Zoe comes back: her new events get a fresh snapshot row, not the erased one's cached id.
      const back = await verified('zoe', { plan: 'pro' });
      await send(back.token, [event('$widget_opened')]);
      const [row] = await stored({ person: 'u:zoe' });
      const snapshot = await t.deps.db.selectFrom('event_snapshots').select('id').where('id', '=', row!.snapshot_id).executeTakeFirst();
      expect(snapshot).toBeDefined();
    });

    it("exports a user's events with the rest of their data", async () => {
      const ivy = await verified('ivy');
      await send(ivy.token, [event('$article_viewed', { articleId: 'art_9' })]);
      const res = await call(t.app, { method: 'GET', url: '/server/v1/users/ivy/export', bearer: apiKey });
      expect(res.body.events.map((e: { name: string; object: string }) => [e.name, e.object])).toEqual([['$article_viewed', 'art_9']]);
    });

    it('keeps both daily rollups equal to the events they count, through attribution, re-attribution and erase', async () => {
      // Every test above wrote, attributed or erased events: the rollups must still agree with them.
      const ws = owner.workspaceId;
      const fromEvents = await sql<{ name: string; day: number; snapshot_id: number; trust: string; person: string; n: number }>`
        select name, at / 86400000 as day, snapshot_id, trust, person, count(*) as n from events where workspace_id = ${ws}
        group by name, at / 86400000, snapshot_id, trust, person`.execute(t.deps.db);
      const daily = await t.deps.db.selectFrom('event_daily').selectAll().where('workspace_id', '=', ws).execute();
      const key = (r: { name: string; snapshot_id: number; trust: string; person: string }, day: number, n: number) =>
        `${r.name}|${day}|${r.snapshot_id}|${r.trust}|${r.person}|${n}`;
      expect(daily.map((r) => key(r, Number(r.at) / 86_400_000, Number(r.events))).sort()).toEqual(
        fromEvents.rows.map((r) => key(r, Number(r.day), Number(r.n))).sort(),
      );
      const persons = new Map<string, number>();
      for (const r of fromEvents.rows) {
        const k = `${r.day}|${r.person}|${r.snapshot_id}|${r.trust}`;
        persons.set(k, (persons.get(k) ?? 0) + Number(r.n));
      }
      const days = await t.deps.db.selectFrom('event_person_days').selectAll().where('workspace_id', '=', ws).execute();
      expect(days.map((d) => `${d.day}|${d.person}|${d.snapshot_id}|${d.trust}|${Number(d.events)}`).sort()).toEqual(
        [...persons].map(([k, n]) => `${k}|${n}`).sort(),
      );
    });

    it('holds a workspace to its ingestion quota with 429 and Retry-After, counted in the metrics', async () => {
      const { token } = await startSession(t, widget.widgetId);
      let refused: Awaited<ReturnType<typeof send>> | undefined;
      for (let i = 0; i < 20 && !refused; i++) {
        const res = await send(
          token,
          Array.from({ length: 100 }, () => event('Bulk')),
        );
        if (res.status === 429) refused = res;
        else expect(res.status).toBe(200);
      }
      expect(refused?.body.error.code).toBe('events_quota_exceeded');
      expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      const metrics = await call(t.app, { method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/lumio_events_rejected_total\{reason="events_quota_exceeded"\} [1-9]/);
      // The bucket refills with time; the clock goes back where the suite expects it.
      t.clock.advance(60_000);
      const later = await send(token, [event('Bulk')]);
      t.clock.advance(-60_000);
      expect(later.status).toBe(200);
    });
  });
}
