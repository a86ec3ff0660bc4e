import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  addMember,
  call,
  createApiKey,
  createWidget,
  identify,
  otherWorkspaceOwner,
  setupOwner,
  sign,
  startSession,
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';
import { storeCompany } from '../test-support/stored-companies.js';
import { COMPANY_ACTIVITY_EVENTS, COMPANY_PEOPLE_PAGE } from './companies-dashboard-reader.js';

let sequence = 0;
const eventId = () => `evt_companies_${(sequence++).toString(36).padStart(6, '0')}`;

for (const dialect of DIALECTS) {
  describe(`companies in the dashboard [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;
    let other: Session;
    let announcementId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'member@example.com', 'member');
      const key = await createApiKey(t, owner);
      const put = async (bearer: string, userId: string, body: object) => {
        const res = await call(t.app, { method: 'PUT', url: `/server/v1/users/${encodeURIComponent(userId)}`, bearer, payload: body });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      };
      for (const [userId, name] of [
        ['ada', 'Ada Lovelace'],
        ['alan', 'Alan Turing'],
        ['grace', 'Grace Hopper'],
      ])
        await put(key, userId!, { name, email: `${userId}@example.com` });
      await storeCompany(t, owner.workspaceId, { id: 'acme', name: 'Acme Corp', properties: { plan: 'enterprise', seats: 40 } }, [
        'ada',
        ['grace', 'claimed'],
      ]);
      // A browser's claim beside the server's values: each keeps its source.
      await storeCompany(t, owner.workspaceId, { id: 'acme', properties: { region: 'eu' } }, [], { source: 'claimed' });
      await storeCompany(t, owner.workspaceId, { id: 'globex', name: 'Globex' }, ['alan', 'ada']);
      await storeCompany(t, owner.workspaceId, { id: '50%_off', name: 'Initech' });

      // Grace and Alan use the widget: their events are the companies' activity.
      const widget = await createWidget(t, owner);
      const announcement = await workspaceApi(t, owner)('POST', '/announcements', { kind: 'post', title: 'Spring release', body: 'b' });
      announcementId = announcement.body.id;
      for (const userId of ['grace', 'alan']) {
        const session = await startSession(t, widget.widgetId);
        const res = await identify(t, widget.widgetId, session.token, { userId, signature: sign(userId, widget.secret) });
        expect(res.body.state).toBe('verified');
        const events =
          userId === 'grace'
            ? [{ id: eventId(), name: '$announcement_clicked', at: t.clock.now(), props: { announcementId } }]
            : [{ id: eventId(), name: 'report_exported', at: t.clock.now() - 1000 }];
        const sent = await call(t.app, {
          method: 'POST',
          url: `/widget/v1/${widget.widgetId}/events`,
          bearer: res.body.token,
          payload: { events },
        });
        expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      }

      // Another workspace with a company of the same id, and one only it has.
      other = await otherWorkspaceOwner(t);
      const otherKey = await createApiKey(t, other);
      await put(otherKey, 'ada', { name: 'Other Ada' });
      await storeCompany(t, other.workspaceId, { id: 'acme', name: 'Other Acme', properties: { plan: 'other-secret' } }, ['ada']);
      await storeCompany(t, other.workspaceId, { id: 'aperture', name: 'Aperture other-secret' });
      // Their Ada is in a company whose id ours has too, ours without our Ada: "Ada's companies" must not mix the two.
      await storeCompany(t, other.workspaceId, { id: '50%_off', name: 'Other Initech' }, ['ada']);
    });
    afterAll(async () => t?.close());

    const ids = (body: { companies: Array<{ companyId: string }> }) => body.companies.map((c) => c.companyId);

    it('lists companies by id in pages for any member, with people counts and times', async () => {
      const api = workspaceApi(t, member);
      const first = await api('GET', '/companies?limit=2');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(ids(first.body)).toEqual(['50%_off', 'acme']);
      expect(first.body.companies[1]).toEqual({
        companyId: 'acme',
        name: 'Acme Corp',
        people: 2,
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      });
      const second = await api('GET', `/companies?limit=2&cursor=${first.body.nextCursor}`);
      expect(ids(second.body)).toEqual(['globex']);
      expect(second.body.companies[0].people).toBe(2);
      expect(second.body.nextCursor).toBeNull();
    });

    it('searches by the start of the company id or name, case ignored, wildcards literal', async () => {
      const api = workspaceApi(t, member);
      expect(ids((await api('GET', '/companies?q=ac')).body)).toEqual(['acme']);
      expect(ids((await api('GET', '/companies?q=GLOB')).body)).toEqual(['globex']);
      expect(ids((await api('GET', '/companies?q=initech')).body)).toEqual(['50%_off']);
      expect(ids((await api('GET', '/companies?q=corp')).body)).toEqual([]);
      expect(ids((await api('GET', '/companies?q=50%25_')).body)).toEqual(['50%_off']);
      expect(ids((await api('GET', '/companies?q=%25')).body)).toEqual([]);
      expect(ids((await api('GET', '/companies?q=_')).body)).toEqual([]);
    });

    it("lists a user's companies", async () => {
      const api = workspaceApi(t, member);
      expect(ids((await api('GET', '/companies?userId=ada')).body)).toEqual(['acme', 'globex']);
      expect(ids((await api('GET', '/companies?userId=grace')).body)).toEqual(['acme']);
      expect(ids((await api('GET', '/companies?userId=nobody')).body)).toEqual([]);
    });

    it('reads a company: values with their sources, its people with their membership, and their recent activity titled', async () => {
      const res = await workspaceApi(t, member)('GET', '/companies/acme');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.company).toEqual({
        companyId: 'acme',
        name: 'Acme Corp',
        properties: { plan: 'enterprise', seats: 40, region: 'eu' },
        sources: { name: 'trusted', 'properties.plan': 'trusted', 'properties.seats': 'trusted', 'properties.region': 'claimed' },
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      });
      expect(res.body.peopleCount).toBe(2);
      expect(res.body.nextPeopleCursor).toBeNull();
      expect(res.body.people).toEqual([
        expect.objectContaining({ userId: 'ada', name: 'Ada Lovelace', email: 'ada@example.com', membership: 'trusted' }),
        expect.objectContaining({ userId: 'grace', name: 'Grace Hopper', trust: 'verified', membership: 'claimed' }),
      ]);
      // Only Acme's people's events (Alan is at Globex), with the announcement's title.
      expect(res.body.activity).toEqual([
        expect.objectContaining({
          name: '$announcement_clicked',
          userId: 'grace',
          subject: { kind: 'announcement', id: announcementId, title: 'Spring release' },
        }),
      ]);
      const globex = await workspaceApi(t, member)('GET', '/companies/globex');
      expect(globex.body.activity.map((e: { userId: string; name: string }) => [e.userId, e.name])).toEqual([['alan', 'report_exported']]);
      const empty = await workspaceApi(t, member)('GET', '/companies/50%25_off');
      expect(empty.body).toMatchObject({ people: [], peopleCount: 0, activity: [] });
    });

    it("shows the events that name the company themselves: its own and a non-member's", async () => {
      const key = await createApiKey(t, owner);
      const events = [
        { id: eventId(), name: 'contract renewed', company: '50%_off', at: t.clock.now() - 2000 },
        { id: eventId(), name: 'invoice paid', userId: 'grace', company: '50%_off', at: t.clock.now() - 1000 },
      ];
      const sent = await call(t.app, { method: 'POST', url: '/server/v1/events', bearer: key, payload: { events } });
      expect(sent.body.accepted).toBe(2);
      const res = await workspaceApi(t, member)('GET', '/companies/50%25_off');
      // Initech has no people; Grace is not its member.
      expect(res.body.peopleCount).toBe(0);
      expect(res.body.activity.map((e: { userId: string | null; name: string }) => [e.userId, e.name])).toEqual([
        ['grace', 'invoice paid'],
        [null, 'contract renewed'],
      ]);
    });

    it('pages a large company’s people and keeps its activity to the newest events', async () => {
      const key = await createApiKey(t, owner);
      const userIds = Array.from({ length: COMPANY_PEOPLE_PAGE + 3 }, (_, i) => `big-${String(i).padStart(3, '0')}`);
      for (const userId of userIds) {
        const res = await call(t.app, { method: 'PUT', url: `/server/v1/users/${userId}`, bearer: key, payload: { name: userId } });
        expect(res.status).toBe(200);
      }
      await storeCompany(t, owner.workspaceId, { id: 'big', name: 'Big Co' }, userIds);
      const api = workspaceApi(t, owner);
      const first = await api('GET', '/companies/big');
      expect(first.body.peopleCount).toBe(COMPANY_PEOPLE_PAGE + 3);
      expect(first.body.people.map((p: { userId: string }) => p.userId)).toEqual(userIds.slice(0, COMPANY_PEOPLE_PAGE));
      const rest = await api('GET', `/companies/big?cursor=${first.body.nextPeopleCursor}`);
      expect(rest.body.people.map((p: { userId: string }) => p.userId)).toEqual(userIds.slice(COMPANY_PEOPLE_PAGE));
      expect(rest.body.nextPeopleCursor).toBeNull();
      expect(first.body.activity.length).toBeLessThanOrEqual(COMPANY_ACTIVITY_EVENTS);
    });

    it("answers 404 for a company of another workspace, and never lists another workspace's", async () => {
      const api = workspaceApi(t, member);
      const missing = await api('GET', '/companies/aperture');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
      // The same id in both workspaces: each sees its own.
      const acme = await api('GET', '/companies/acme');
      expect(JSON.stringify(acme.body)).not.toContain('other-secret');
      expect(acme.body.people.map((p: { name: string }) => p.name)).not.toContain('Other Ada');
      const all = await api('GET', '/companies?limit=200');
      expect(JSON.stringify(all.body)).not.toContain('other-secret');
      expect(ids(all.body)).not.toContain('aperture');
      expect(all.body.companies.find((c: { companyId: string }) => c.companyId === 'acme').people).toBe(2);
      // Their own workspace's id in the path, not ours: refused before any read.
      const foreign = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${other.workspaceId}/companies/acme`,
        cookie: member.cookie,
      });
      expect(foreign.status).toBe(404);
      expect(JSON.stringify(foreign.body)).not.toContain('other-secret');
      // Signed out: no answer at all.
      expect((await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/companies` })).status).toBe(401);
    });

    it('refuses unknown query fields, an overlong search and a forged cursor with a stable code', async () => {
      const api = workspaceApi(t, member);
      expect((await api('GET', '/companies?query=ac')).body.error.code).toBe('invalid_request');
      expect((await api('GET', `/companies?q=${'a'.repeat(256)}`)).body.error.code).toBe('invalid_request');
      // A cursor holding a NUL (base64url "AA"): PostgreSQL could not compare it.
      const forged = await api('GET', '/companies?cursor=AA');
      expect(forged.status).toBe(400);
      expect(forged.body.error.code).toBe('invalid_request');
      expect((await api('GET', '/companies/acme?cursor=AA')).status).toBe(400);
      expect((await api('GET', '/companies/acme?limit=5')).body.error.code).toBe('invalid_request');
    });
  });
}
