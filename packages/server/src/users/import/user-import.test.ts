import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../../test-support/test-app.js';
import {
  call,
  createApiKey,
  createWidget,
  identify,
  setupOwner,
  sign,
  startSession,
  type Session,
} from '../../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`bulk import of users [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let key: string;
    const post = (payload: string | Buffer, contentType = 'text/csv', bearer = key) =>
      call(t.app, { method: 'POST', url: '/server/v1/users/import', bearer, headers: { 'content-type': contentType }, payload });

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      key = await createApiKey(t, owner);
    });
    afterAll(async () => t?.close());

    it('imports CSV rows with typed properties, and a second import updates them', async () => {
      const csv = [
        'user_id,name,email,birthday,gender,properties.plan,properties.seats,properties.beta,properties.zip',
        'csv-1,Ada,ada@example.com,1990-12-10,Female,pro,40,true,02134',
        'csv-2,Grace,,,,free,2.5,false,',
      ].join('\n');
      const first = await post(csv);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ imported: 2, created: 2, updated: 0, failed: 0, errors: [] });
      const ada = await t.services.users.get(owner.workspaceId, 'csv-1');
      expect(ada).toMatchObject({
        name: 'Ada',
        email: 'ada@example.com',
        birthday: '1990-12-10',
        gender: 'Female',
        trust: 'identified',
        properties: { plan: 'pro', seats: 40, beta: true, zip: '02134' },
        sources: { name: 'trusted', 'properties.plan': 'trusted' },
        lastSeenAt: null,
      });
      // An empty cell leaves the stored value alone.
      expect((await t.services.users.get(owner.workspaceId, 'csv-2'))?.properties).toEqual({ plan: 'free', seats: 2.5, beta: false });
      const second = await post('user_id,properties.plan\ncsv-1,enterprise\ncsv-2,free\n');
      expect(second.body).toEqual({ imported: 2, created: 0, updated: 1, failed: 0, errors: [] });
      expect((await t.services.users.get(owner.workspaceId, 'csv-1'))?.properties.plan).toBe('enterprise');
    });

    it('a row naming a merged-away id updates the user it was merged into', async () => {
      const put = (userId: string, payload: object) =>
        call(t.app, { method: 'PUT', url: `/server/v1/users/${userId}`, bearer: key, payload });
      await put('old-id', { properties: { plan: 'free' } });
      await put('new-id', { name: 'Survivor' });
      const merged = await call(t.app, { method: 'POST', url: '/server/v1/users/new-id/merge', bearer: key, payload: { from: 'old-id' } });
      expect(merged.status).toBe(200);
      const res = await post('user_id,properties.plan\nold-id,enterprise\n');
      expect(res.body).toMatchObject({ imported: 1, created: 0, updated: 1, failed: 0 });
      expect(await t.services.users.get(owner.workspaceId, 'old-id')).toBeNull();
      expect((await t.services.users.get(owner.workspaceId, 'new-id'))?.properties.plan).toBe('enterprise');
    });

    it('imports NDJSON rows like the server API upsert, null unsetting a value', async () => {
      const lines = [
        JSON.stringify({ userId: 'nd-1', name: 'Lin', properties: { plan: 'pro', tags: ['a', 'b'] } }),
        '',
        JSON.stringify({ userId: 42, email: 'n42@example.com' }),
        JSON.stringify({ userId: 'nd-1', properties: { tags: null } }),
      ].join('\r\n');
      const res = await post(lines, 'application/x-ndjson');
      expect(res.body).toEqual({ imported: 3, created: 2, updated: 0, failed: 0, errors: [] });
      expect((await t.services.users.get(owner.workspaceId, 'nd-1'))?.properties).toEqual({ plan: 'pro' });
      expect((await t.services.users.get(owner.workspaceId, '42'))?.email).toBe('n42@example.com');
    });

    it("an import's trusted value overwrites a browser's claim, and the next identify sees it", async () => {
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      // An unsigned identify: the browser's values are claims.
      const body = { userId: 'claimer', properties: { plan: 'free', theme: 'dark' } };
      expect((await identify(t, w.widgetId, s.token, body)).status).toBe(200);
      expect((await identify(t, w.widgetId, s.token, body)).status).toBe(200);
      const res = await post('user_id,properties.plan\nclaimer,enterprise\n');
      expect(res.body.updated).toBe(1);
      const after = await t.services.users.get(owner.workspaceId, 'claimer');
      expect(after).toMatchObject({ properties: { plan: 'enterprise', theme: 'dark' }, sources: { 'properties.plan': 'trusted' } });
      // A repeat identify (answered from memory on SQLite) cannot write the claim back over the import.
      await identify(t, w.widgetId, s.token, body);
      expect((await t.services.users.get(owner.workspaceId, 'claimer'))?.properties.plan).toBe('enterprise');
      // A signed identify of the same user still cannot overwrite a trusted value.
      await identify(t, w.widgetId, s.token, { ...body, signature: sign('claimer', w.secret) });
      expect((await t.services.users.get(owner.workspaceId, 'claimer'))?.properties.plan).toBe('enterprise');
    });

    it('an identify after an import sees what the import changed (no stale in-memory copy)', async () => {
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      const body = { userId: 'cached-1', properties: { plan: 'free' } };
      await identify(t, w.widgetId, s.token, body);
      await identify(t, w.widgetId, s.token, body);
      // The import removes the claimed value; the same claim again must be stored again.
      expect((await post(JSON.stringify({ userId: 'cached-1', properties: { plan: null } }), 'application/x-ndjson')).body.updated).toBe(1);
      expect((await t.services.users.get(owner.workspaceId, 'cached-1'))?.properties).toEqual({});
      await identify(t, w.widgetId, s.token, body);
      expect((await t.services.users.get(owner.workspaceId, 'cached-1'))?.properties).toEqual({ plan: 'free' });
    });

    it('reports bad rows with their physical lines (quoted cells spanning lines) and stores every good one', async () => {
      const csv = [
        'user_id,name,properties.note', // 1
        'ok-1,"Two', // 2
        'lines",a', // 3
        ',Nobody,b', // 4: no userId
        'ok-2,Eve,"quoted, with ""comma"""', // 5
        '', // 6: blank, skipped
        'bad-email,x,y,z', // 7: too many cells
        'ok-3,"Three', // 8
        '', // 9
        'lines",c', // 10
        `ok-4,${'n'.repeat(300)},d`, // 11: name too long
        ',"no id', // 12: no userId, over two lines
        'here",e', // 13
        'ok-5,Last,f', // 14
      ].join('\n');
      const res = await post(csv);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ imported: 4, created: 4, failed: 4 });
      expect(res.body.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
        [4, 'invalid_user_id'],
        [7, 'invalid_request'],
        [11, 'invalid_profile'],
        [12, 'invalid_user_id'],
      ]);
      expect((await t.services.users.get(owner.workspaceId, 'ok-1'))?.name).toBe('Two\nlines');
      expect((await t.services.users.get(owner.workspaceId, 'ok-2'))?.properties.note).toBe('quoted, with "comma"');
      expect((await t.services.users.get(owner.workspaceId, 'ok-3'))?.name).toBe('Three\n\nlines');
    });

    it('reports NDJSON lines that are not JSON, unknown fields and bad properties, by line', async () => {
      const ndjson = [
        '{"userId":"j-1"}',
        '{"userId":"j-2",',
        '{"userId":"j-3","plan":"pro"}',
        '{"userId":"j-4","properties":{"nested":{"a":1}}}',
        '[1]',
        '{"userId":"j-6","name":"a\\u0000b"}',
        '{"userId":"j-7","company":{"id":""}}',
        '{"userId":"j-8"}',
      ].join('\n');
      const res = await post(ndjson, 'application/x-ndjson');
      expect(res.body.imported).toBe(2);
      expect(res.body.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
        [2, 'invalid_request'],
        [3, 'invalid_request'],
        [4, 'invalid_property'],
        [5, 'invalid_request'],
        [6, 'invalid_string'],
        [7, 'invalid_company'],
      ]);
    });

    it('stops at broken CSV quoting with the line, keeping the rows before it', async () => {
      const csv = ['user_id,name', 'mal-1,A', 'mal-2,B', 'mal-3,"C"x', 'mal-4,D'].join('\n');
      const res = await post(csv);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('import_malformed');
      expect(res.body.error.message).toMatch(/Line 4.*2 rows before it were stored/s);
      expect(res.body.error.details).toMatchObject({ line: 4, imported: 2, created: 2 });
      expect(await t.services.users.get(owner.workspaceId, 'mal-2')).not.toBeNull();
      expect(await t.services.users.get(owner.workspaceId, 'mal-4')).toBeNull();
      const header = await post('user_id,nmae\nx,y\n');
      expect(header.body.error).toMatchObject({ code: 'import_malformed', details: { line: 1 } });
      expect(header.body.error.message).toContain('"nmae"');
    });

    it('skips an oversized NDJSON line and reads on; refuses an oversized CSV record', async () => {
      const long = JSON.stringify({ userId: 'long', name: 'x'.repeat(70 * 1024) });
      const res = await post(['{"userId":"before-long"}', long, '{"userId":"after-long"}'].join('\n'), 'application/x-ndjson');
      expect(res.body).toMatchObject({ imported: 2, failed: 1, errors: [{ line: 2, code: 'import_line_too_long' }] });
      expect(await t.services.users.get(owner.workspaceId, 'after-long')).not.toBeNull();
      const csv = await post(`user_id,name\nbefore-csv,a\nlong-csv,${'x'.repeat(70 * 1024)}\n`);
      expect(csv.body.error).toMatchObject({ code: 'import_malformed', details: { imported: 1 } });
    });

    it('upserts companies with trusted values and joins their people', async () => {
      const csv = ['user_id,company_id,company_name,company.size', 'co-1,acme,Acme,50', 'co-2,acme,,', 'co-3,,Orphan,'].join('\n');
      const res = await post(csv);
      expect(res.body).toMatchObject({ imported: 2, failed: 1, errors: [{ line: 4 }] });
      const company = await t.adapter.db
        .selectFrom('companies')
        .selectAll()
        .where('workspace_id', '=', owner.workspaceId)
        .where('company_id', '=', 'acme')
        .executeTakeFirst();
      expect(company).toMatchObject({ name: 'Acme' });
      const members = await t.adapter.db
        .selectFrom('company_members')
        .select(['user_id', 'source'])
        .where('workspace_id', '=', owner.workspaceId)
        .orderBy('user_id')
        .execute();
      expect(members).toEqual([
        { user_id: 'co-1', source: 'trusted' },
        { user_id: 'co-2', source: 'trusted' },
      ]);
      const nd = await post(
        JSON.stringify({ userId: 'co-4', companies: [{ id: 'acme', properties: { size: 60 } }, { id: 'globex' }] }),
        'application/x-ndjson',
      );
      expect(nd.body.imported).toBe(1);
    });

    it('raises a claimed membership to trusted, like CompaniesStore.join', async () => {
      const now = t.clock.now();
      const ws = owner.workspaceId;
      await post('user_id\nmember-1\n');
      await t.adapter.db
        .insertInto('companies')
        .values({
          workspace_id: ws,
          company_id: 'claimed-co',
          name: null,
          properties: '{}',
          sources: '{}',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await t.adapter.db
        .insertInto('company_members')
        .values({ workspace_id: ws, company_id: 'claimed-co', user_id: 'member-1', source: 'claimed', created_at: now, updated_at: now })
        .execute();
      expect((await post('user_id,company_id\nmember-1,claimed-co\n')).body).toMatchObject({ imported: 1, failed: 0 });
      const member = await t.adapter.db
        .selectFrom('company_members')
        .select('source')
        .where('workspace_id', '=', ws)
        .where('company_id', '=', 'claimed-co')
        .where('user_id', '=', 'member-1')
        .executeTakeFirst();
      expect(member?.source).toBe('trusted');
    });

    it('stops a streamed body at LUMIO_IMPORT_MAX_BYTES, keeping the rows before it', async () => {
      const small = await createTestApp(dialect, { config: { importMaxBytes: 4096 } });
      try {
        const smallOwner = await setupOwner(small);
        const smallKey = await createApiKey(small, smallOwner);
        const rows = Array.from({ length: 400 }, (_, i) => `cap-${i},Name ${i}`);
        // Chunked, no Content-Length: counted as it streams.
        const body = Readable.from(
          [`user_id,name\n${rows.slice(0, 200).join('\n')}\n`, `${rows.slice(200).join('\n')}\n`].map((c) => Buffer.from(c)),
        );
        const res = await call(small.app, {
          method: 'POST',
          url: '/server/v1/users/import',
          bearer: smallKey,
          headers: { 'content-type': 'text/csv' },
          payload: body,
        });
        expect(res.status).toBe(413);
        expect(res.body.error.code).toBe('payload_too_large');
        expect(res.body.error.details).toMatchObject({ maxBytes: 4096 });
        expect(res.body.error.details.imported).toBeGreaterThan(0);
        expect(await small.services.users.get(smallOwner.workspaceId, 'cap-0')).not.toBeNull();
        expect(await small.services.users.get(smallOwner.workspaceId, 'cap-399')).toBeNull();
      } finally {
        await small.close();
      }
    });

    it("never touches another workspace's users, and audits each import once", async () => {
      const other = await t.services.workspaces.create('Other', owner.accountId, { type: 'cli', id: null, ip: null });
      const otherKey = await createApiKey(t, { ...owner, workspaceId: other.id });
      await post('user_id,properties.plan\nshared,a-plan\n');
      const res = await post('user_id,properties.plan\nshared,b-plan\n', 'text/csv', otherKey);
      expect(res.body.created).toBe(1);
      expect((await t.services.users.get(owner.workspaceId, 'shared'))?.properties.plan).toBe('a-plan');
      expect((await t.services.users.get(other.id, 'shared'))?.properties.plan).toBe('b-plan');
      const audit = await t.adapter.db
        .selectFrom('audit_log')
        .selectAll()
        .where('workspace_id', '=', other.id)
        .where('action', '=', 'user.import')
        .execute();
      expect(audit).toHaveLength(1);
      expect(
        JSON.parse(String(typeof audit[0]!.details === 'string' ? audit[0]!.details : JSON.stringify(audit[0]!.details))),
      ).toMatchObject({
        format: 'csv',
        imported: 1,
        created: 1,
        complete: true,
      });
    });

    it('refuses other content types, no key, and a declared size over the limit', async () => {
      expect((await post('{}', 'application/json')).body.error.code).toBe('unsupported_media_type');
      expect((await post('user_id\nx\n', 'text/csv; charset=latin1')).body.error.code).toBe('unsupported_media_type');
      expect((await post('user_id\nx\n', 'text/csv', 'garbage')).status).toBe(401);
      const big = await call(t.app, {
        method: 'POST',
        url: '/server/v1/users/import',
        bearer: key,
        headers: { 'content-type': 'text/csv', 'content-length': String(2 ** 31) },
        payload: 'user_id\nx\n',
      });
      expect(big.status).toBe(413);
    });
  });
}
