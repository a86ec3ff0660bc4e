import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createApiKey, otherWorkspaceOwner, setupOwner, type Session } from '../test-support/api-helpers.js';

let sequence = 0;
/** A unique event id of the SDK's form. */
const eventId = () => `srv_${(sequence++).toString(36).padStart(10, '0')}`;
const DAY = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`server API events [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let key: string;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: { eventsPerWorkspacePerMinute: 1000 } } });
      owner = await setupOwner(t);
      key = await createApiKey(t, owner);
    });
    afterAll(async () => t?.close());

    const send = (events: unknown, bearer = key) => call(t.app, { method: 'POST', url: '/server/v1/events', bearer, payload: { events } });
    const rows = (workspaceId = owner.workspaceId) =>
      t.deps.db
        .selectFrom('events')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('widget_id', '=', '$server')
        .orderBy('id')
        .execute();

    it('stores a batch for users and companies, trusted, with the profile as of the event, and answers per event', async () => {
      await call(t.app, { method: 'PUT', url: '/server/v1/users/u-known', bearer: key, payload: { properties: { plan: 'pro' } } });
      const batch = [
        { id: eventId(), name: 'invoice paid', userId: 'u-known', properties: { amount: 120, currency: 'EUR' } },
        { id: eventId(), name: 'seat added', userId: 'u-known', company: 'acme', at: t.clock.now() - 5 * DAY },
        { id: eventId(), name: 'contract renewed', company: 'acme' },
        { id: eventId(), name: 'invoice paid', userId: 42 },
      ];
      const res = await send(batch);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        accepted: 4,
        duplicates: 0,
        rejected: [],
        results: batch.map((e, index) => ({ index, id: e.id, status: 'accepted' })),
      });
      const stored = await rows();
      expect(stored.map((r) => [r.event_id, r.name, r.person, r.user_id, r.company_id, r.trust, r.anonymous_id])).toEqual([
        [batch[0]!.id, 'invoice paid', 'u:u-known', 'u-known', null, 'verified', ''],
        [batch[1]!.id, 'seat added', 'u:u-known', 'u-known', 'acme', 'verified', ''],
        [batch[2]!.id, 'contract renewed', 'c:acme', null, 'acme', 'verified', ''],
        [batch[3]!.id, 'invoice paid', 'u:42', '42', null, 'verified', ''],
      ]);
      expect(Number(stored[1]!.at)).toBe(t.clock.now() - 5 * DAY);
      expect(Number(stored[0]!.at)).toBe(t.clock.now());
      // The user's profile at the time: a snapshot with the trusted plan.
      const snapshot = await t.deps.db
        .selectFrom('event_snapshots')
        .selectAll()
        .where('id', '=', stored[0]!.snapshot_id)
        .executeTakeFirstOrThrow();
      expect(snapshot).toMatchObject({ user_id: 'u-known', trust: 'verified' });
      expect(
        JSON.parse(String(typeof snapshot.properties === 'string' ? snapshot.properties : JSON.stringify(snapshot.properties))),
      ).toEqual({
        plan: 'pro',
      });
      expect(stored[2]!.snapshot_id).toBe(0);
      // The unknown user and company now exist, empty.
      expect(await t.services.users.get(owner.workspaceId, '42')).toMatchObject({ userId: '42', properties: {} });
      const company = await t.deps.db.selectFrom('companies').selectAll().where('workspace_id', '=', owner.workspaceId).execute();
      expect(company.map((c) => [c.company_id, c.name])).toEqual([['acme', null]]);
      // The rollup counts them like widget events.
      const daily = await t.deps.db
        .selectFrom('event_daily')
        .select(['name', 'person', 'events'])
        .where('workspace_id', '=', owner.workspaceId)
        .where('name', '=', 'contract renewed')
        .execute();
      expect(daily.map((d) => [d.person, Number(d.events)])).toEqual([['c:acme', 1]]);
    });

    it('is idempotent by event id: a resent batch stores nothing twice, a repeat within a batch is one event', async () => {
      const a = { id: eventId(), name: 'export run', userId: 'u-idem' };
      const b = { id: eventId(), name: 'export run', userId: 'u-idem' };
      expect((await send([a, a])).body).toMatchObject({
        accepted: 1,
        duplicates: 1,
        results: [
          { index: 0, id: a.id, status: 'accepted' },
          { index: 1, id: a.id, status: 'duplicate' },
        ],
      });
      const again = await send([a, b]);
      expect(again.body).toMatchObject({
        accepted: 1,
        duplicates: 1,
        results: [
          { index: 0, id: a.id, status: 'duplicate' },
          { index: 1, id: b.id, status: 'accepted' },
        ],
      });
      const stored = (await rows()).filter((r) => r.user_id === 'u-idem');
      expect(stored.map((r) => r.event_id)).toEqual([a.id, b.id]);
      const daily = await t.deps.db
        .selectFrom('event_daily')
        .select('events')
        .where('workspace_id', '=', owner.workspaceId)
        .where('person', '=', 'u:u-idem')
        .execute();
      expect(daily.reduce((sum, d) => sum + Number(d.events), 0)).toBe(2);
    });

    it('keeps the good events of a batch with bad ones, refusing each bad one with its code and index', async () => {
      const good = { id: eventId(), name: 'good one', userId: 'u-mixed' };
      const later = { id: eventId(), name: 'good two', company: 'mixed-co', properties: { tier: 'gold' } };
      const res = await send([
        { id: eventId(), name: 'no subject' },
        good,
        { id: eventId(), name: '$announcement_clicked', userId: 'u-mixed', properties: { announcementId: 'ann_1' } },
        { id: 'short', name: 'bad id', userId: 'u-mixed' },
        { id: eventId(), name: 'too late', userId: 'u-mixed', at: t.clock.now() + 3600_000 },
        { id: eventId(), name: 'too old', userId: 'u-mixed', at: t.clock.now() - 366 * DAY },
        { id: eventId(), name: 'nested', userId: 'u-mixed', properties: { deep: { a: 1 } } },
        { id: eventId(), name: 'bad user', userId: '' },
        { id: eventId(), name: 'bad company', company: { id: 'x' } },
        { id: eventId(), name: 'extra', userId: 'u-mixed', widgetId: 'wgt_x' },
        'not an event',
        later,
      ]);
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(2);
      expect(res.body.results.map((r: { index: number; status: string; code?: string }) => [r.index, r.status, r.code])).toEqual([
        [0, 'rejected', 'invalid_event'],
        [1, 'accepted', undefined],
        [2, 'rejected', 'invalid_event'],
        [3, 'rejected', 'invalid_event'],
        [4, 'rejected', 'event_time_out_of_range'],
        [5, 'rejected', 'event_time_out_of_range'],
        [6, 'rejected', 'invalid_event'],
        [7, 'rejected', 'invalid_user_id'],
        [8, 'rejected', 'invalid_event'],
        [9, 'rejected', 'invalid_event'],
        [10, 'rejected', 'invalid_event'],
        [11, 'accepted', undefined],
      ]);
      expect(res.body.rejected).toHaveLength(10);
      const stored = (await rows()).filter((r) => r.user_id === 'u-mixed' || r.company_id === 'mixed-co');
      expect(stored.map((r) => r.event_id)).toEqual([good.id, later.id]);
    });

    it('accepts events as old as the workspace retention, and refuses older ones', async () => {
      const old = { id: eventId(), name: 'backfilled', userId: 'u-old', at: t.clock.now() - 300 * DAY };
      expect((await send([old])).body.accepted).toBe(1);
    });

    it('refuses a batch that is not { events: [...] }, too many events, and an oversized body', async () => {
      const notArray = await call(t.app, { method: 'POST', url: '/server/v1/events', bearer: key, payload: { events: 'x' } });
      expect([notArray.status, notArray.body.error.code]).toEqual([400, 'invalid_request']);
      const many = await send(Array.from({ length: 101 }, () => ({ id: eventId(), name: 'n', userId: 'u' })));
      expect([many.status, many.body.error.code]).toEqual([413, 'too_many_events']);
      const big = await send([{ id: eventId(), name: 'big', userId: 'u', properties: { text: 'x'.repeat(600 * 1024) } }]);
      expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large']);
      const noKey = await call(t.app, { method: 'POST', url: '/server/v1/events', payload: { events: [] } });
      expect([noKey.status, noKey.body.error.code]).toEqual([401, 'invalid_api_key']);
    });

    it('takes the batch from the workspace ingestion quota and refuses it whole when over (429, Retry-After)', async () => {
      const q = await createTestApp(dialect, { config: { rateLimits: { eventsPerWorkspacePerMinute: 3 } } });
      try {
        const o = await setupOwner(q);
        const k = await createApiKey(q, o);
        const post = (n: number) =>
          call(q.app, {
            method: 'POST',
            url: '/server/v1/events',
            bearer: k,
            payload: { events: Array.from({ length: n }, () => ({ id: eventId(), name: 'q', userId: 'u-q' })) },
          });
        expect((await post(2)).body.accepted).toBe(2);
        const over = await post(2);
        expect([over.status, over.body.error.code]).toEqual([429, 'events_quota_exceeded']);
        expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
        const stored = await q.deps.db.selectFrom('events').select('event_id').where('workspace_id', '=', o.workspaceId).execute();
        expect(stored).toHaveLength(2);
      } finally {
        await q.close();
      }
    });

    it('records an event for a merged id under the surviving user', async () => {
      await call(t.app, { method: 'PUT', url: '/server/v1/users/u-new', bearer: key, payload: {} });
      await t.deps.db
        .insertInto('user_aliases')
        .values({ workspace_id: owner.workspaceId, alias_id: 'u-old-id', user_id: 'u-new', merged_at: t.clock.now() })
        .execute();
      const e = { id: eventId(), name: 'after merge', userId: 'u-old-id' };
      expect((await send([e])).body.accepted).toBe(1);
      const [row] = (await rows()).filter((r) => r.event_id === e.id);
      expect([row?.user_id, row?.person]).toEqual(['u-new', 'u:u-new']);
      expect(await t.services.users.get(owner.workspaceId, 'u-old-id')).toBeNull();
    });

    it("writes only into the API key's workspace, whatever the event names (tenancy)", async () => {
      const other = await otherWorkspaceOwner(t);
      const otherKey = await createApiKey(t, other);
      const shared = { id: eventId(), name: 'shared id', userId: 'same-user', company: 'same-co' };
      expect((await send([shared], otherKey)).body.accepted).toBe(1);
      // The same event id in another workspace is a different event, not a duplicate.
      expect((await send([shared])).body.accepted).toBe(1);
      const mine = (await rows()).filter((r) => r.event_id === shared.id);
      const theirs = (await rows(other.workspaceId)).filter((r) => r.event_id === shared.id);
      expect([mine.length, theirs.length]).toEqual([1, 1]);
      // A resend with the other key stays a duplicate there and adds nothing here.
      expect((await send([shared], otherKey)).body.duplicates).toBe(1);
      expect((await rows()).filter((r) => r.event_id === shared.id)).toHaveLength(1);
    });
  });
}
