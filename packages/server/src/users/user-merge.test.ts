import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { signIdentityToken } from '@lumio/node';
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
import { mergeStoredProfiles } from './user-merge.js';
import { emptyProfile } from './profile-merge.js';

const DAY = 86_400_000;
let sequence = 0;
const eventId = () => `evt_merge_${(sequence++).toString(36).padStart(8, '0')}`;

describe('mergeStoredProfiles', () => {
  it('takes each value from the stronger source; on a tie the survivor keeps its own', () => {
    const target = {
      ...emptyProfile(),
      name: 'New',
      properties: { plan: 'free', color: 'blue', seats: 2 },
      sources: { name: 'claimed', 'properties.plan': 'claimed', 'properties.color': 'claimed', 'properties.seats': 'trusted' } as const,
    };
    const source = {
      ...emptyProfile(),
      name: 'Old',
      email: 'old@example.com',
      properties: { plan: 'pro', color: 'red', seats: 9, theme: 'dark' },
      sources: {
        name: 'trusted',
        email: 'unverified',
        'properties.plan': 'trusted',
        'properties.color': 'claimed',
        'properties.seats': 'claimed',
        'properties.theme': 'unverified',
      } as const,
    };
    const merged = mergeStoredProfiles(target, source);
    expect(merged).toMatchObject({
      name: 'Old',
      email: 'old@example.com',
      properties: { plan: 'pro', color: 'blue', seats: 2, theme: 'dark' },
    });
    expect(merged.sources).toMatchObject({
      name: 'trusted',
      email: 'unverified',
      'properties.plan': 'trusted',
      'properties.color': 'claimed',
    });
    expect(merged.sources['properties.seats']).toBe('trusted');
  });
});

for (const dialect of DIALECTS) {
  describe(`merging user ids [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: Awaited<ReturnType<typeof createWidget>>;
    let key: string;
    const ws = () => owner.workspaceId;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: { eventsPerWorkspacePerMinute: 1000 } } });
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      key = await createApiKey(t, owner);
    });
    afterAll(async () => t?.close());

    const api = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown, bearer = key) =>
      call(t.app, { method, url: `/server/v1/users${url}`, bearer, ...(payload === undefined ? {} : { payload: payload as object }) });
    const merge = (to: string, from: unknown, bearer = key) => api('POST', `/${encodeURIComponent(to)}/merge`, { from }, bearer);
    const verified = async (userId: string, body: Record<string, unknown> = {}) => {
      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, { userId, signature: sign(userId, widget.secret), ...body });
      expect(res.status).toBe(200);
      return { ...s, token: res.body.token as string };
    };
    const track = async (token: string, count: number) => {
      const events = Array.from({ length: count }, () => ({ id: eventId(), name: 'merge_probe', at: t.clock.now() }));
      const res = await call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/events`, bearer: token, payload: { events } });
      expect(res.status).toBeLessThan(300);
    };
    const report = () =>
      t.services.reports.series(ws(), { from: t.clock.now() - DAY, to: t.clock.now() + DAY, event: 'merge_probe', interval: 'day' });
    // Any of the viewer-keyed tables, read loosely: each assertion names the columns it compares.
    const rows = async (
      table: 'article_saves' | 'announcement_states' | 'article_feedback' | 'interest_scores' | 'company_members',
    ): Promise<any[]> =>
      t.deps.db
        .selectFrom(table as 'article_saves')
        .selectAll()
        .where('workspace_id', '=', ws())
        .execute();

    it('moves the profile, events, links, saves, feedback, announcement states, interests and companies in one go', async () => {
      // The old id: trusted values from the backend, a verified browser with two events.
      await api('PUT', '/old-1', { name: 'Old', email: 'old@example.com', properties: { plan: 'pro' } });
      const oldBrowser = await verified('old-1', { properties: { theme: 'dark', color: 'red' } });
      await track(oldBrowser.token, 2);
      // The survivor: claimed values only, one event.
      const newBrowser = await verified('new-1', { name: 'New', properties: { plan: 'free', color: 'blue' } });
      await track(newBrowser.token, 1);
      expect((await report()).totals).toEqual({ count: 3, uniques: 2 });

      const now = t.clock.now();
      const db = t.deps.db;
      const dashboard = (url: string, payload: object) =>
        call(t.app, { method: 'POST', url: `/api/v1/workspaces/${ws()}${url}`, cookie: owner.cookie, payload });
      const collection = (await dashboard('/help/collections', { name: 'Guides' })).body.id as string;
      const article = async (title: string) =>
        (await dashboard('/help/articles', { title, body: 'b', collectionId: collection, status: 'published' })).body.id as string;
      const [artA, artB] = [await article('A'), await article('B')];
      const announcement = async (title: string) =>
        (await dashboard('/announcements', { kind: 'post', title, body: 'b' })).body.id as string;
      const [ann1, ann2] = [await announcement('One'), await announcement('Two')];
      await db
        .insertInto('article_saves')
        .values([
          { workspace_id: ws(), viewer: 'v:old-1', article_id: artA, saved_at: 100 },
          { workspace_id: ws(), viewer: 'v:new-1', article_id: artA, saved_at: 300 },
          { workspace_id: ws(), viewer: 'i:old-1', article_id: artB, saved_at: 200 },
        ])
        .execute();
      await db
        .insertInto('article_feedback')
        .values([
          { workspace_id: ws(), viewer: 'v:old-1', article_id: artA, helpful: 0, at: 500 },
          { workspace_id: ws(), viewer: 'v:new-1', article_id: artA, helpful: 1, at: 400 },
        ])
        .execute();
      await db
        .insertInto('announcement_states')
        .values([
          { workspace_id: ws(), announcement_id: ann1, viewer: 'v:old-1', seen_at: 100, clicked_at: 200, dismissed_at: null },
          { workspace_id: ws(), announcement_id: ann1, viewer: 'v:new-1', seen_at: 150, clicked_at: null, dismissed_at: 300 },
          { workspace_id: ws(), announcement_id: ann2, viewer: 'v:old-1', seen_at: 120, clicked_at: null, dismissed_at: null },
        ])
        .execute();
      const interest = (viewer: string, score: number, views: number) => ({
        workspace_id: ws(),
        viewer,
        topic: 'billing',
        score,
        updated_at: now,
        views,
        saves: 0,
        helpful_votes: 0,
        search_clicks: 0,
        announcement_clicks: 0,
      });
      await db
        .insertInto('interest_scores')
        .values([interest('v:old-1', 2, 2), interest('v:new-1', 1, 1)])
        .execute();
      for (const company of ['acme', 'beta'])
        await db
          .insertInto('companies')
          .values({
            workspace_id: ws(),
            company_id: company,
            name: company,
            properties: '{}',
            sources: '{}',
            created_at: now,
            updated_at: now,
          })
          .execute();
      const member = (user: string, company: string, source: string) => ({
        workspace_id: ws(),
        company_id: company,
        user_id: user,
        source,
        created_at: now,
        updated_at: now,
      });
      await db
        .insertInto('company_members')
        .values([member('old-1', 'acme', 'trusted'), member('new-1', 'acme', 'claimed'), member('old-1', 'beta', 'claimed')])
        .execute();

      const res = await merge('new-1', 'old-1');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        merged: true,
        userId: 'new-1',
        from: 'old-1',
        created: false,
        eventsMoved: 2,
        anonymousIdsMoved: 1,
      });

      // Profile: the trusted name and plan of the old id win over the survivor's claims; a tie (color) keeps the survivor's.
      const user = (await api('GET', '/new-1')).body;
      expect(user).toMatchObject({
        userId: 'new-1',
        name: 'Old',
        email: 'old@example.com',
        trust: 'verified',
        properties: { plan: 'pro', theme: 'dark', color: 'blue' },
        sources: { name: 'trusted', 'properties.plan': 'trusted', 'properties.color': 'claimed' },
      });
      expect(await t.services.users.get(ws(), 'old-1')).toBeNull();
      // Reports count the merged person once.
      expect((await report()).totals).toEqual({ count: 3, uniques: 1 });
      const events = await db.selectFrom('events').select(['person', 'user_id']).where('workspace_id', '=', ws()).execute();
      expect(events.filter((e) => e.user_id === 'old-1' || e.person === 'u:old-1')).toEqual([]);
      expect(await t.services.users.linkedUser(ws(), oldBrowser.anonymousId)).toEqual({ userId: 'new-1', trust: 'verified' });

      const saves = (await rows('article_saves')).map((r) => [r.viewer, r.article_id, Number(r.saved_at)]);
      expect(saves.sort()).toEqual(
        [
          ['i:new-1', artB, 200],
          ['v:new-1', artA, 100],
        ].sort(),
      );
      expect((await rows('article_feedback')).map((r) => [r.viewer, r.helpful, Number(r.at)])).toEqual([['v:new-1', 0, 500]]);
      const states = (await rows('announcement_states')).map((r) => [r.announcement_id, r.viewer, r.seen_at, r.clicked_at, r.dismissed_at]);
      expect(states.map((s) => s.map((v) => (v === null ? null : typeof v === 'string' ? v : Number(v)))).sort()).toEqual(
        [
          [ann1, 'v:new-1', 100, 200, 300],
          [ann2, 'v:new-1', 120, null, null],
        ].sort(),
      );
      const interests = await rows('interest_scores');
      expect(interests.map((r) => [r.viewer, r.topic, Number(r.views)])).toEqual([['v:new-1', 'billing', 3]]);
      expect(Number(interests[0]!.score)).toBeCloseTo(3, 6);
      const members = (await rows('company_members')).map((r) => [r.company_id, r.user_id, r.source]);
      expect(members.sort()).toEqual([
        ['acme', 'new-1', 'trusted'],
        ['beta', 'new-1', 'claimed'],
      ]);

      const aliases = await db.selectFrom('user_aliases').selectAll().where('workspace_id', '=', ws()).execute();
      expect(aliases.map((a) => [a.alias_id, a.user_id])).toEqual([['old-1', 'new-1']]);
      const audit = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('workspace_id', '=', ws())
        .where('action', '=', 'user.merge')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_type: 'api_key', target_type: 'user', target_id: 'new-1' });

      // The server API resolves the old id: it answers with the survivor.
      const byOld = await api('GET', '/old-1');
      expect(byOld.status).toBe(200);
      expect(byOld.body.userId).toBe('new-1');
      const put = await api('PUT', '/old-1', { properties: { seats: 5 } });
      expect(put.body).toMatchObject({ userId: 'new-1', properties: { seats: 5, plan: 'pro' } });
      expect(await t.services.users.get(ws(), 'old-1')).toBeNull();
      // A retried merge finds its work done and changes nothing.
      const again = await merge('new-1', 'old-1');
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ merged: false, userId: 'new-1' });
    });

    it('answers an identify as the old id, verified or not, as the survivor (the signature is of the id sent)', async () => {
      const before = await verified('old-2', { properties: { plan: 'pro' } });
      // A repeat from the same browser: on SQLite it is answered from the identify snapshot cache, which the merge must forget.
      const repeatBody = { userId: 'old-2', signature: sign('old-2', widget.secret), properties: { plan: 'pro' } };
      expect((await identify(t, widget.widgetId, before.token, repeatBody)).body.userId).toBe('old-2');
      await verified('new-2');
      expect((await merge('new-2', 'old-2')).status).toBe(200);
      const sameBrowser = await identify(t, widget.widgetId, before.token, repeatBody);
      expect(sameBrowser.body).toMatchObject({ state: 'verified', userId: 'new-2' });

      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, { userId: 'old-2', signature: sign('old-2', widget.secret), name: 'Ada' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'verified', userId: 'new-2', linked: true });
      // A repeat is answered the same way; the claimed name went to the survivor.
      const repeat = await identify(t, widget.widgetId, res.body.token, {
        userId: 'old-2',
        signature: sign('old-2', widget.secret),
        name: 'Ada',
      });
      expect(repeat.body).toMatchObject({ state: 'verified', userId: 'new-2' });
      expect(await t.services.users.get(ws(), 'new-2')).toMatchObject({ name: 'Ada', properties: { plan: 'pro' } });
      expect(await t.services.users.get(ws(), 'old-2')).toBeNull();
      expect(await t.services.users.linkedUser(ws(), s.anonymousId)).toEqual({ userId: 'new-2', trust: 'verified' });

      // The signature is still checked against the id as sent: the survivor's signature does not verify the old id.
      const wrong = await identify(t, widget.widgetId, s.token, { userId: 'old-2', signature: sign('new-2', widget.secret) });
      expect(wrong.body.error.code).toBe('invalid_signature');

      // The identity-token path too: a token whose sub is the old id verifies and is answered as the survivor.
      const testNow = t.clock.current;
      t.clock.current = Date.now();
      try {
        const ts = await startSession(t, widget.widgetId);
        const token = await signIdentityToken({ userId: 'old-2', properties: { tier: 'gold' } }, widget.secret, widget.keyId);
        const byToken = await identify(t, widget.widgetId, ts.token, { token });
        expect(byToken.body).toMatchObject({ state: 'verified', userId: 'new-2' });
        expect((await t.services.users.get(ws(), 'new-2'))?.sources['properties.tier']).toBe('trusted');
      } finally {
        t.clock.current = testNow;
      }

      const u = await startSession(t, widget.widgetId);
      const unverified = await identify(t, widget.widgetId, u.token, { userId: 'old-2' });
      expect(unverified.body).toMatchObject({ state: 'identified', userId: 'new-2' });
      expect(await t.services.users.get(ws(), 'old-2')).toBeNull();
    });

    it('flattens chains: A merged into B, then B into C, leaves A resolving to C', async () => {
      await api('PUT', '/chain-a', { properties: { a: 1 } });
      await api('PUT', '/chain-b', { properties: { b: 1 } });
      await api('PUT', '/chain-c', { properties: { c: 1 } });
      expect((await merge('chain-b', 'chain-a')).status).toBe(200);
      expect((await merge('chain-c', 'chain-b')).status).toBe(200);
      const aliases = await t.deps.db
        .selectFrom('user_aliases')
        .select(['alias_id', 'user_id'])
        .where('workspace_id', '=', ws())
        .where('alias_id', 'like', 'chain-%')
        .orderBy('alias_id')
        .execute();
      expect(aliases).toEqual([
        { alias_id: 'chain-a', user_id: 'chain-c' },
        { alias_id: 'chain-b', user_id: 'chain-c' },
      ]);
      expect((await api('GET', '/chain-a')).body).toMatchObject({ userId: 'chain-c', properties: { a: 1, b: 1, c: 1 } });
      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, { userId: 'chain-a', signature: sign('chain-a', widget.secret) });
      expect(res.body.userId).toBe('chain-c');
      // Merging into an old id merges into its survivor.
      await api('PUT', '/chain-d', { properties: { d: 1 } });
      const intoAlias = await merge('chain-a', 'chain-d');
      expect(intoAlias.body).toMatchObject({ merged: true, userId: 'chain-c' });
    });

    it('refuses a merge into itself, an unknown `from` and a malformed body', async () => {
      await api('PUT', '/self', { name: 'Self' });
      expect((await merge('self', 'self')).body.error.code).toBe('merge_same_user');
      await api('PUT', '/self-old', {});
      await merge('self', 'self-old');
      // The old id names the survivor itself.
      expect((await merge('self-old', 'self')).body.error.code).toBe('merge_same_user');
      const missing = await merge('self', 'nobody-here');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
      expect((await api('POST', '/self/merge', { from: { id: 'x' } })).body.error.code).toBe('invalid_request');
      expect((await api('POST', '/self/merge', { from: 'self-old', extra: 1 })).body.error.code).toBe('invalid_request');
      expect((await merge('self', '')).body.error.code).toBe('invalid_user_id');
      expect((await merge('self', 42)).status).toBe(404);
      expect((await call(t.app, { method: 'POST', url: '/server/v1/users/self/merge', payload: { from: 'x' } })).status).toBe(401);
    });

    it('moves nothing when the transaction fails half-way', async () => {
      await api('PUT', '/poison', { properties: { plan: 'pro' } });
      const b = await verified('poison');
      await track(b.token, 2);
      await api('PUT', '/survivor', { properties: { plan: 'free' } });
      // A trigger refuses deleting the old user: the last step, after everything else has moved.
      if (dialect === 'sqlite') {
        await sql`create trigger merge_poison before delete on users when old.user_id = 'poison' begin select raise(abort, 'injected'); end`.execute(
          t.deps.db,
        );
      } else {
        await sql`create function merge_poison() returns trigger language plpgsql as $$
          begin if old.user_id = 'poison' then raise exception 'injected'; end if; return old; end $$`.execute(t.deps.db);
        await sql`create trigger merge_poison before delete on users for each row execute function merge_poison()`.execute(t.deps.db);
      }
      try {
        const res = await merge('survivor', 'poison');
        expect(res.status).toBe(500);
      } finally {
        await sql`drop trigger merge_poison${dialect === 'postgres' ? sql` on users` : sql``}`.execute(t.deps.db);
      }
      expect(await t.services.users.get(ws(), 'poison')).toMatchObject({ properties: { plan: 'pro' } });
      expect(await t.services.users.get(ws(), 'survivor')).toMatchObject({ properties: { plan: 'free' }, trust: 'identified' });
      const events = await t.deps.db
        .selectFrom('events')
        .select('person')
        .where('workspace_id', '=', ws())
        .where('user_id', '=', 'poison')
        .execute();
      expect(events).toHaveLength(2);
      expect(await t.services.users.linkedUser(ws(), b.anonymousId)).toEqual({ userId: 'poison', trust: 'verified' });
      const alias = await t.deps.db
        .selectFrom('user_aliases')
        .selectAll()
        .where('workspace_id', '=', ws())
        .where('alias_id', '=', 'poison')
        .execute();
      expect(alias).toEqual([]);
      const audit = await t.deps.db
        .selectFrom('audit_log')
        .selectAll()
        .where('workspace_id', '=', ws())
        .where('target_id', '=', 'survivor')
        .execute();
      expect(audit).toEqual([]);
      // And it succeeds once the fault is gone.
      expect((await merge('survivor', 'poison')).body).toMatchObject({ merged: true, eventsMoved: 2 });
    });

    it("keeps workspaces apart: another workspace's same ids are untouched", async () => {
      const other = await otherWorkspaceOwner(t, 'merge-other@example.com');
      const otherKey = await createApiKey(t, other);
      const otherWidget = await createWidget(t, other);
      for (const [bearer, plan] of [
        [key, 'a'],
        [otherKey, 'b'],
      ] as const) {
        await api('PUT', '/tenant-old', { properties: { plan } }, bearer);
        await api('PUT', '/tenant-new', {}, bearer);
      }
      expect((await merge('tenant-new', 'tenant-old')).status).toBe(200);
      expect(await t.services.users.get(other.workspaceId, 'tenant-old')).toMatchObject({ properties: { plan: 'b' } });
      expect(await t.services.users.get(other.workspaceId, 'tenant-new')).toMatchObject({ properties: {} });
      const s = await startSession(t, otherWidget.widgetId);
      const res = await identify(t, otherWidget.widgetId, s.token, {
        userId: 'tenant-old',
        signature: sign('tenant-old', otherWidget.secret),
      });
      expect(res.body.userId).toBe('tenant-old');
      // The other workspace's key cannot merge this workspace's users: its own tenant-only id is unknown there.
      await api('PUT', '/only-here', {});
      expect((await merge('tenant-old', 'only-here', otherKey)).status).toBe(404);
      expect(await t.services.users.get(ws(), 'only-here')).not.toBeNull();
    });
  });
}
