import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { userPrefixMatches } from './users-store.js';
import { insertStoredUsers } from '../test-support/stored-users.js';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  addMember,
  call,
  createApiKey,
  createWidget,
  identify,
  setupOwner,
  sign,
  startSession,
  workspaceApi,
  otherWorkspaceOwner,
  type Session,
} from '../test-support/api-helpers.js';

let sequence = 0;
const eventId = () => `evt_users_${(sequence++).toString(36).padStart(6, '0')}`;

for (const dialect of DIALECTS) {
  describe(`users in the dashboard [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let admin: Session;
    let member: Session;
    let other: Session;
    let widget: { widgetId: string; secret: string };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
      member = await addMember(t, owner, 'member@example.com', 'member');
      const key = await createApiKey(t, owner);
      const users: Array<[string, Record<string, unknown>]> = [
        ['ada', { name: 'Ada Lovelace', email: 'ada@example.com', properties: { plan: 'pro', seats: 12 } }],
        ['alan', { name: 'Alan Turing', email: 'turing@example.org', properties: { plan: 'free', seats: 1 } }],
        ['grace', { name: 'Grace Hopper', email: 'grace@navy.example', properties: { plan: 'pro', seats: 3 } }],
        ['50%_off', { name: 'Percent', properties: { plan: 'free' } }],
      ];
      for (const [userId, body] of users) {
        const res = await call(t.app, { method: 'PUT', url: `/server/v1/users/${encodeURIComponent(userId)}`, bearer: key, payload: body });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      // Grace also uses the widget: a verified identify (a claimed property) and some events.
      widget = await createWidget(t, owner);
      const session = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, session.token, {
        userId: 'grace',
        signature: sign('grace', widget.secret),
        properties: { theme: 'dark' },
      });
      expect(res.body.state).toBe('verified');
      const events = [0, 1, 2].map(() => ({ id: eventId(), name: '$widget_opened', at: t.clock.now() }));
      const sent = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${widget.widgetId}/events`,
        bearer: res.body.token,
        payload: { events },
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);

      // Another workspace with a user of the same id.
      other = await otherWorkspaceOwner(t);
      const otherKey = await createApiKey(t, other);
      await call(t.app, {
        method: 'PUT',
        url: '/server/v1/users/ada',
        bearer: otherKey,
        payload: { name: 'Other Ada', properties: { plan: 'pro' } },
      });
      await call(t.app, { method: 'PUT', url: '/server/v1/users/zed', bearer: otherKey, payload: { properties: { plan: 'pro' } } });
    });
    afterAll(async () => t?.close());

    const ids = (body: { users: Array<{ userId: string }> }) => body.users.map((u) => u.userId);

    it('lists users by userId in pages, for members', async () => {
      const api = workspaceApi(t, member);
      const first = await api('GET', '/users?limit=2');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(ids(first.body)).toEqual(['50%_off', 'ada']);
      const second = await api('GET', `/users?limit=2&cursor=${first.body.nextCursor}`);
      expect(ids(second.body)).toEqual(['alan', 'grace']);
      expect(second.body.nextCursor).toBeNull();
    });

    it('searches by the start of the userId, email or name, case ignored, wildcards literal', async () => {
      const api = workspaceApi(t, member);
      expect(ids((await api('GET', '/users?query=al')).body)).toEqual(['alan']);
      expect(ids((await api('GET', '/users?query=TURING')).body)).toEqual(['alan']);
      expect(ids((await api('GET', '/users?query=grace%40navy')).body)).toEqual(['grace']);
      expect(ids((await api('GET', '/users?query=ada')).body)).toEqual(['ada']);
      expect(ids((await api('GET', '/users?query=a')).body)).toEqual(['ada', 'alan']);
      // `%` and `_` are what was typed, not patterns.
      expect(ids((await api('GET', '/users?query=50%25_')).body)).toEqual(['50%_off']);
      expect(ids((await api('GET', '/users?query=%25')).body)).toEqual([]);
    });

    it('finds a prefix through the search indexes, one range per column', async () => {
      // Enough users, with statistics, for each database to plan as it would for a real workspace.
      const crowd = await t.services.workspaces.create('Crowd', owner.accountId, { type: 'cli', id: null, ip: null });
      for (let chunk = 0; chunk < 10; chunk++) {
        const users = Array.from({ length: 200 }, (_, i) => {
          const n = chunk * 200 + i;
          return {
            userId: `user-${n}`,
            name: `Person ${n}`,
            email: `person${n}@example.com`,
            birthday: null,
            gender: null,
            properties: {},
            sources: {},
            trust: 'identified' as const,
          };
        });
        await insertStoredUsers(t.adapter, crowd.id, users, t.clock.now());
      }
      await sql`analyze`.execute(t.deps.db);
      const matches = userPrefixMatches(t.adapter.name, crowd.id, 'person12');
      const explain = t.adapter.name === 'sqlite' ? sql`explain query plan ${matches}` : sql`explain ${matches}`;
      const plan = JSON.stringify((await explain.execute(t.deps.db)).rows);
      for (const column of ['user_id', 'email', 'name']) {
        // SQLite: "SEARCH users USING COVERING INDEX users_search_email (workspace_id=? AND <expr>>? …)";
        // PostgreSQL: "Index Only Scan using users_search_email … Index Cond: ((workspace_id = …) AND ((lower(email))…".
        expect(plan).toMatch(new RegExp(`users_search_${column}[^"]*\\(workspace_id=\\? AND <expr>|(using|on) users_search_${column}`));
      }
      if (t.adapter.name === 'postgres') expect(plan).not.toContain('Seq Scan');
      const found = await t.services.users.search(crowd.id, { limit: 50, query: 'PERSON12' });
      expect(found.users.map((u) => u.userId).sort()).toEqual(
        [
          '12',
          ...Array.from({ length: 10 }, (_, i) => `12${i}`),
          ...Array.from({ length: 100 }, (_, i) => `12${String(i).padStart(2, '0')}`),
        ]
          .map((n) => `user-${n}`)
          .sort()
          .slice(0, 50),
      );
    });

    it('filters by a targeting condition, with search and trusted-only values', async () => {
      const api = workspaceApi(t, member);
      const pro = await api('POST', '/users/search', { condition: { plan: 'pro' } });
      expect(pro.status, JSON.stringify(pro.body)).toBe(200);
      expect(ids(pro.body)).toEqual(['ada', 'grace']);
      expect(ids((await api('POST', '/users/search', { condition: { seats: { $gte: 3 } }, query: 'g' })).body)).toEqual(['grace']);
      expect(ids((await api('POST', '/users/search', { condition: { trust: 'verified' } })).body)).toEqual(['grace']);
      // Grace's theme was claimed by her browser: not a trusted value.
      expect(ids((await api('POST', '/users/search', { condition: { theme: 'dark' } })).body)).toEqual(['grace']);
      expect(ids((await api('POST', '/users/search', { condition: { theme: 'dark' }, properties: 'trusted' })).body)).toEqual([]);
      const paged = await api('POST', '/users/search', { condition: { plan: 'pro' }, limit: 1 });
      expect(ids(paged.body)).toEqual(['ada']);
      expect(ids((await api('POST', '/users/search', { condition: { plan: 'pro' }, cursor: paged.body.nextCursor })).body)).toEqual([
        'grace',
      ]);
      // Segments resolve as in an audience preview.
      const segment = await api('POST', '/segments', { name: 'Pro', condition: { plan: 'pro' } });
      expect(ids((await api('POST', '/users/search', { condition: { $segment: segment.body.id, seats: { $lt: 5 } } })).body)).toEqual([
        'grace',
      ]);
    });

    it('refuses an invalid condition or an unknown segment with the located issue', async () => {
      const api = workspaceApi(t, member);
      const bad = await api('POST', '/users/search', { condition: { plan: { $gtee: 1 } } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_condition');
      // In plain words, with where: the dashboard's rule builder shows these beside the rule.
      expect(bad.body.error.details.issues).toEqual([
        {
          path: 'plan.$gtee',
          code: 'unknown_operator',
          message: '$gtee is not an operator; did you mean $gte? The operators are listed in the targeting guide (docs/targeting.md).',
        },
      ]);
      expect(bad.body.error.message).toBe(
        'The condition is invalid: plan.$gtee: $gtee is not an operator; did you mean $gte? The operators are listed in the targeting guide (docs/targeting.md).',
      );
      const unknown = await api('POST', '/users/search', { condition: { $segment: 'seg_nothere' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details.issues).toEqual([
        {
          path: '$segment',
          code: 'unknown_segment',
          message: 'there is no saved segment seg_nothere in this workspace; pick one from the Segments page.',
        },
      ]);
    });

    it("reads a user's profile with each value's source, trust and linked anonymous ids", async () => {
      const res = await workspaceApi(t, member)('GET', '/users/grace');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        user: {
          userId: 'grace',
          name: 'Grace Hopper',
          email: 'grace@navy.example',
          trust: 'verified',
          properties: { plan: 'pro', seats: 3, theme: 'dark' },
          sources: { name: 'trusted', 'properties.plan': 'trusted', 'properties.theme': 'claimed' },
        },
        anonymousIds: 1,
      });
      expect(res.body.user.createdAt).toEqual(expect.any(Number));
      expect((await workspaceApi(t, member)('GET', '/users/50%25_off')).body.user.userId).toBe('50%_off');
      const missing = await workspaceApi(t, member)('GET', '/users/nobody');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
    });

    it("keeps every workspace's users to itself", async () => {
      // Another workspace's user id is not found here, and this workspace's users are not listed there.
      expect((await workspaceApi(t, owner)('GET', '/users/zed')).status).toBe(404);
      expect((await workspaceApi(t, owner)('DELETE', '/users/zed')).status).toBe(404);
      expect(ids((await workspaceApi(t, other)('GET', '/users')).body)).toEqual(['ada', 'zed']);
      expect((await workspaceApi(t, other)('GET', '/users/ada')).body.user.name).toBe('Other Ada');
      // A non-member gets 404 for the workspace itself.
      const res = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/users/ada`, cookie: other.cookie });
      expect(res.status).toBe(404);
      const search = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/users/search`,
        cookie: other.cookie,
        payload: {},
      });
      expect(search.status).toBe(404);
    });

    it('lets owners and admins erase a user with their events, audited; members may not', async () => {
      const refused = await workspaceApi(t, member)('DELETE', '/users/grace');
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      const personEvents = () =>
        t.deps.db
          .selectFrom('events')
          .select('event_id')
          .where('workspace_id', '=', owner.workspaceId)
          .where('person', '=', 'u:grace')
          .execute();
      expect(await personEvents()).toHaveLength(3);

      const erased = await workspaceApi(t, admin)('DELETE', '/users/grace');
      expect(erased.status, JSON.stringify(erased.body)).toBe(200);
      expect(erased.body).toMatchObject({ erased: true, userId: 'grace', anonymousIdsUnlinked: 1, eventsDeleted: 3 });
      expect(await personEvents()).toHaveLength(0);
      expect((await workspaceApi(t, member)('GET', '/users/grace')).status).toBe(404);
      expect(ids((await workspaceApi(t, member)('GET', '/users')).body)).not.toContain('grace');
      const events = await workspaceApi(t, member)('GET', '/users/grace/events');
      expect(events.body.events).toEqual([]);
      expect((await workspaceApi(t, owner)('DELETE', '/users/grace')).status).toBe(404);

      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      const entry = audit.body.entries.find((e: { action: string }) => e.action === 'user.erase');
      expect(entry).toMatchObject({ action: 'user.erase', target: { type: 'user', id: 'erased' } });
      expect(JSON.stringify(entry)).not.toContain('grace');
      // The other workspace's user of the same id stays.
      expect((await workspaceApi(t, other)('GET', '/users/ada')).status).toBe(200);
    });
  });
}
