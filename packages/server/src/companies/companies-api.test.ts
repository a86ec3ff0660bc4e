import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LumioClient } from '@lumio/node';
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

for (const dialect of DIALECTS) {
  describe(`server API for companies [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let key: string;
    let lumio: LumioClient;
    let baseUrl: string;

    const auditActions = async () =>
      (
        await t.deps.db
          .selectFrom('audit_log')
          .select(['action', 'target_id'])
          .where('workspace_id', '=', owner.workspaceId)
          .where('action', 'like', 'company.%')
          .execute()
      ).map((r) => `${r.action} ${r.target_id}`);

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      key = await createApiKey(t, owner);
      baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
      lumio = new LumioClient({ baseUrl, apiKey: key });
    });
    afterAll(async () => t?.close());

    it('upserts trusted values that a browser claim cannot overwrite, audited only when something changed', async () => {
      // An endpoint that wants company.updated (the webhooks' own routes are tested with them), so the outbox records.
      await t.deps.db
        .insertInto('webhook_endpoints')
        .values({
          id: 'whe_companies',
          workspace_id: owner.workspaceId,
          url: 'https://example.com/hook',
          events: t.adapter.json(['company.updated']) as string,
          secret_ciphertext: 'unused',
          created_by: null,
          created_at: 0,
          updated_at: 0,
          disabled_at: null,
        })
        .execute();
      const created = await lumio.companies.upsert('acme/1 é', { name: 'Acme', properties: { plan: 'enterprise', seats: 40 } });
      expect(created).toMatchObject({
        companyId: 'acme/1 é',
        name: 'Acme',
        properties: { plan: 'enterprise', seats: 40 },
        sources: { name: 'trusted', 'properties.plan': 'trusted', 'properties.seats': 'trusted' },
      });
      await lumio.companies.upsert('acme/1 é', { name: 'Acme', properties: { plan: 'enterprise' } });
      expect(await auditActions()).toEqual(['company.upsert acme/1 é']);
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      await identify(t, w.widgetId, s.token, {
        userId: 'u1',
        signature: sign('u1', w.secret),
        company: { id: 'acme/1 é', name: 'Mallory Inc', properties: { plan: 'free', theme: 'dark' } },
      });
      expect(await lumio.companies.get('acme/1 é')).toMatchObject({
        name: 'Acme',
        properties: { plan: 'enterprise', seats: 40, theme: 'dark' },
        memberCount: 1,
      });
      // The server API changes a trusted value, and null removes one.
      const updated = await lumio.companies.upsert('acme/1 é', { properties: { seats: null, plan: 'pro' } });
      expect(updated.properties).toEqual({ plan: 'pro', theme: 'dark' });
      // A company.updated webhook event per change, none for the no-op.
      const events = await t.deps.db.selectFrom('webhook_events').select('type').where('workspace_id', '=', owner.workspaceId).execute();
      expect(events.filter((e) => e.type === 'company.updated')).toHaveLength(3);
    });

    it('validates like identify, naming the field', async () => {
      await expect(lumio.companies.upsert('v1', { properties: { nested: { a: 1 } } as never })).rejects.toMatchObject({
        code: 'invalid_property',
        status: 400,
        details: { field: 'company.properties.nested', key: 'nested' },
      });
      await expect(lumio.companies.upsert('v1', { name: 5 as never })).rejects.toMatchObject({ code: 'invalid_company' });
      const unknown = await call(t.app, { method: 'PUT', url: '/server/v1/companies/v1', bearer: key, payload: { plan: 'x' } });
      expect(unknown.body.error.code).toBe('invalid_request');
      const long = await call(t.app, { method: 'GET', url: `/server/v1/companies/${'x'.repeat(300)}`, bearer: key });
      expect(long.body.error.code).toBe('invalid_company');
      const users = await call(t.app, {
        method: 'PUT',
        url: '/server/v1/users/v-user',
        bearer: key,
        payload: { properties: { plan: 'x' }, companies: [{ id: 'ok' }, { id: '' }] },
      });
      expect(users.status).toBe(400);
      expect(users.body.error).toMatchObject({ code: 'invalid_company', details: { field: 'companies.1.id' } });
      // Nothing of a refused call was stored.
      await expect(lumio.users.get('v-user')).rejects.toMatchObject({ code: 'not_found' });
      await expect(lumio.companies.get('ok')).rejects.toMatchObject({ code: 'not_found' });
      await expect(lumio.companies.get('v1')).rejects.toMatchObject({ code: 'not_found' });
    });

    it('lists companies in pages and finds them by id or name', async () => {
      for (let i = 0; i < 25; i++) await lumio.companies.upsert(`page-${String(i).padStart(2, '0')}`, { name: `Page ${i}` });
      const first = await lumio.companies.list({ limit: 10, query: 'page-' });
      expect(first.companies.map((c) => c.companyId)).toEqual(Array.from({ length: 10 }, (_, i) => `page-${String(i).padStart(2, '0')}`));
      const all = [];
      for await (const company of lumio.companies.iterate({ limit: 7, query: 'PAGE' })) all.push(company.companyId);
      expect(all).toHaveLength(25);
      expect((await lumio.companies.list({ query: 'page 1' })).companies.map((c) => c.name)).toContain('Page 12');
      // LIKE wildcards typed are literal characters.
      expect((await lumio.companies.list({ query: 'p%' })).companies).toEqual([]);
    });

    it('joins users through the user upsert and the members routes; exports and erases', async () => {
      await lumio.users.upsert('m1', { name: 'Ada', companies: [{ id: 'beta', name: 'Beta', properties: { size: 10 } }] });
      await lumio.users.upsert('m2', {});
      expect(await lumio.companies.addUser('beta', 'm2')).toMatchObject({ companyId: 'beta', name: 'Beta', source: 'trusted' });
      await expect(lumio.companies.addUser('beta', 'nobody')).rejects.toMatchObject({ code: 'not_found' });
      await expect(lumio.companies.addUser('no-such', 'm1')).rejects.toMatchObject({ code: 'not_found' });
      const members = await call(t.app, { method: 'GET', url: '/server/v1/companies/beta/members?limit=1', bearer: key });
      expect(members.body.members).toEqual([expect.objectContaining({ userId: 'm1', source: 'trusted' })]);
      expect(members.body.nextCursor).toEqual(expect.any(String));
      const exported = await lumio.companies.export('beta');
      expect(exported).toMatchObject({
        company: { companyId: 'beta', name: 'Beta', properties: { size: 10 } },
        members: [expect.objectContaining({ userId: 'm1' }), expect.objectContaining({ userId: 'm2' })],
      });
      expect((await lumio.users.export('m1')).companies).toEqual([expect.objectContaining({ companyId: 'beta', source: 'trusted' })]);

      expect(await lumio.companies.removeUser('beta', 'm2')).toEqual({ removed: true });
      await expect(lumio.companies.removeUser('beta', 'm2')).rejects.toMatchObject({ code: 'not_found' });
      expect((await lumio.companies.get('beta')).memberCount).toBe(1);

      // Erasing a user removes their memberships (the company stays).
      await lumio.users.erase('m1');
      expect((await lumio.companies.get('beta')).memberCount).toBe(0);
      await lumio.users.upsert('m3', { companies: [{ id: 'beta' }] });
      expect(await lumio.companies.erase('beta')).toEqual({
        erased: true,
        companyId: 'beta',
        membershipsDeleted: 1,
        eventsDeleted: 0,
        eventsDetached: 0,
      });
      await expect(lumio.companies.get('beta')).rejects.toMatchObject({ code: 'not_found', status: 404 });
      await expect(lumio.companies.erase('beta')).rejects.toMatchObject({ code: 'not_found' });
      expect(await lumio.users.get('m3')).toMatchObject({ userId: 'm3' });
      expect((await lumio.users.export('m3')).companies).toEqual([]);
      expect(await auditActions()).toEqual(expect.arrayContaining(['company.erase beta']));
    });

    it("erases the company's own server-side events and their rollups; users' events stay but forget the company", async () => {
      const events = [
        { id: 'erase_own_1', name: 'contract renewed', company: 'gone-co' },
        { id: 'erase_own_2', name: 'invoice paid', company: 'gone-co' },
        { id: 'erase_user_1', name: 'seat added', userId: 'gone-u', company: 'gone-co' },
        { id: 'erase_keep_1', name: 'contract renewed', company: 'stays-co' },
      ];
      const sent = await call(t.app, { method: 'POST', url: '/server/v1/events', bearer: key, payload: { events } });
      expect(sent.body.accepted).toBe(4);
      const eventRows = () =>
        t.deps.db
          .selectFrom('events')
          .select(['event_id', 'person', 'user_id', 'company_id'])
          .where('workspace_id', '=', owner.workspaceId)
          .where('event_id', 'like', 'erase_%')
          .orderBy('event_id')
          .execute();
      const rollups = async (person: string) => {
        const days = await t.deps.db
          .selectFrom('event_person_days')
          .select('events')
          .where('workspace_id', '=', owner.workspaceId)
          .where('person', '=', person)
          .execute();
        const daily = await t.deps.db
          .selectFrom('event_daily')
          .select('events')
          .where('workspace_id', '=', owner.workspaceId)
          .where('person', '=', person)
          .execute();
        return [days.length, daily.length];
      };
      expect(await rollups('c:gone-co')).toEqual([1, 2]);
      // Its export holds its own events (a user's event is in the user's export).
      const exported = await lumio.companies.export('gone-co');
      expect(exported.events.map((e) => [e.eventId, e.userId]).sort()).toEqual([
        ['erase_own_1', null],
        ['erase_own_2', null],
      ]);

      expect(await lumio.companies.erase('gone-co')).toEqual({
        erased: true,
        companyId: 'gone-co',
        membershipsDeleted: 0,
        eventsDeleted: 2,
        eventsDetached: 1,
      });
      expect((await eventRows()).map((r) => [r.event_id, r.person, r.user_id, r.company_id])).toEqual([
        ['erase_keep_1', 'c:stays-co', null, 'stays-co'],
        ['erase_user_1', 'u:gone-u', 'gone-u', null],
      ]);
      expect(await rollups('c:gone-co')).toEqual([0, 0]);
      // The user's rollups and another company's stay.
      expect(await rollups('u:gone-u')).toEqual([1, 1]);
      expect(await rollups('c:stays-co')).toEqual([1, 1]);
      const audit = await t.deps.db
        .selectFrom('audit_log')
        .select('details')
        .where('workspace_id', '=', owner.workspaceId)
        .where('action', '=', 'company.erase')
        .where('target_id', '=', 'gone-co')
        .executeTakeFirstOrThrow();
      expect(typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details).toEqual({
        members: 0,
        events: 2,
        eventsDetached: 1,
      });
    });

    it('lets many users of a new company arrive at once (PostgreSQL writes them in parallel transactions)', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          call(t.app, {
            method: 'PUT',
            url: `/server/v1/users/rush-${i}`,
            bearer: key,
            payload: { companies: [{ id: 'rush', properties: { [`k${i}`]: i } }] },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
      const company = await lumio.companies.get('rush');
      expect(company.memberCount).toBe(12);
      expect(Object.keys(company.properties)).toHaveLength(12);
    });

    it("keeps workspaces apart: another workspace's company answers 404 and is untouched", async () => {
      const other = await otherWorkspaceOwner(t);
      const otherKey = await createApiKey(t, other);
      const theirs = new LumioClient({ baseUrl, apiKey: otherKey });
      await theirs.companies.upsert('shared', { name: 'Theirs', properties: { secret: 'b-secret' } });
      await theirs.users.upsert('their-user', { companies: [{ id: 'shared' }] });
      await expect(lumio.companies.get('shared')).rejects.toMatchObject({ status: 404 });
      await expect(lumio.companies.export('shared')).rejects.toMatchObject({ status: 404 });
      await expect(lumio.companies.erase('shared')).rejects.toMatchObject({ status: 404 });
      await expect(lumio.companies.removeUser('shared', 'their-user')).rejects.toMatchObject({ status: 404 });
      await expect(lumio.companies.addUser('shared', 'their-user')).rejects.toMatchObject({ status: 404 });
      const list = JSON.stringify(await lumio.companies.list({ limit: 1000 }));
      expect(list).not.toContain('b-secret');
      // The same id in this workspace is another company.
      await lumio.companies.upsert('shared', { name: 'Ours' });
      expect(await theirs.companies.get('shared')).toMatchObject({ name: 'Theirs', properties: { secret: 'b-secret' }, memberCount: 1 });
      // Erasing ours leaves their events about their company alone.
      const events = [
        { id: 'shared_own_1', name: 'renewed', company: 'shared' },
        { id: 'shared_user_1', name: 'renewed', userId: 'their-user', company: 'shared' },
      ];
      expect((await call(t.app, { method: 'POST', url: '/server/v1/events', bearer: otherKey, payload: { events } })).body.accepted).toBe(
        2,
      );
      expect(await lumio.companies.erase('shared')).toMatchObject({ erased: true, eventsDeleted: 0, eventsDetached: 0 });
      const theirEvents = await t.deps.db
        .selectFrom('events')
        .select(['event_id', 'company_id'])
        .where('workspace_id', '=', other.workspaceId)
        .orderBy('event_id')
        .execute();
      expect(theirEvents).toEqual([
        { event_id: 'shared_own_1', company_id: 'shared' },
        { event_id: 'shared_user_1', company_id: 'shared' },
      ]);
      const theirRollups = await t.deps.db
        .selectFrom('event_daily')
        .select('person')
        .where('workspace_id', '=', other.workspaceId)
        .where('person', '=', 'c:shared')
        .execute();
      expect(theirRollups).toHaveLength(1);
    });
  });
}
