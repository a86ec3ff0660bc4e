import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { addMember, call, createApiKey, otherWorkspaceOwner, setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { recordWebhookEvent } from './webhook-outbox.js';
import { openWebhookSecret } from './webhook-signature.js';

const HOOK = 'https://hooks.example.com/lumio';

for (const dialect of DIALECTS) {
  describe(`webhook endpoints [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let api: ReturnType<typeof workspaceApi>;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      api = workspaceApi(t, owner);
    });
    afterAll(async () => t?.close());

    const auditRows = (action: string) =>
      t.deps.db.selectFrom('audit_log').selectAll().where('workspace_id', '=', owner.workspaceId).where('action', '=', action).execute();
    const stored = (id: string) => t.deps.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('creates an endpoint with a server-made secret, shown once, stored encrypted, never in a read or the audit log', async () => {
      const created = await api('POST', '/webhooks', {
        url: HOOK,
        description: 'CRM sync',
        events: ['user.updated', 'user.created', 'user.created'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ url: HOOK, description: 'CRM sync', events: ['user.created', 'user.updated'], enabled: true });
      const secret: string = created.body.secret;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      const row = await stored(created.body.id);
      expect(row.secret_ciphertext).not.toContain(secret.slice(6));
      expect(openWebhookSecret(t.deps.secretBox, created.body.id, row.secret_ciphertext)).toBe(secret);
      // The ciphertext is bound to its endpoint: moved to another row it does not open.
      expect(() => openWebhookSecret(t.deps.secretBox, 'whe_other', row.secret_ciphertext)).toThrow();

      const one = await api('GET', `/webhooks/${created.body.id}`);
      const list = await api('GET', '/webhooks');
      expect(one.body).not.toHaveProperty('secret');
      expect(JSON.stringify(list.body)).not.toContain(secret);
      expect(list.body.endpoints.map((e: { id: string }) => e.id)).toContain(created.body.id);
      const audit = await auditRows('webhook.create');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ target_type: 'webhook', target_id: created.body.id, actor_id: owner.accountId });
      expect(JSON.stringify(audit)).not.toContain(secret);
      const shown = await api('GET', '/audit-log?action=webhook.create');
      expect(shown.body.entries[0].target).toMatchObject({ type: 'webhook', id: created.body.id, name: HOOK, deleted: false });
    });

    it('takes * alone for every event type, and can start disabled', async () => {
      const all = await api('POST', '/webhooks', { url: `${HOOK}/all`, events: ['user.created', '*'], enabled: false });
      expect(all.status).toBe(201);
      expect(all.body).toMatchObject({ events: ['*'], enabled: false, disabledAt: t.clock.now() });
      await api('DELETE', `/webhooks/${all.body.id}`);
    });

    it('refuses URLs that are not plain http(s) addresses, with a stable code and the reason', async () => {
      for (const url of [
        'ftp://hooks.example.com/x',
        'javascript:alert(1)',
        'https://user:pass@hooks.example.com/x',
        'https://token@hooks.example.com/x',
        '/relative/path',
        'not a url',
        `https://hooks.example.com/${'a'.repeat(2048)}`,
        'file:///etc/passwd',
      ]) {
        const res = await api('POST', '/webhooks', { url, events: ['*'] });
        expect(res.status, url).toBe(400);
        expect(['invalid_webhook_url', 'invalid_request']).toContain(res.body.error.code);
      }
      const userinfo = await api('POST', '/webhooks', { url: 'https://user:pass@hooks.example.com/x', events: ['*'] });
      expect(userinfo.body.error).toMatchObject({ code: 'invalid_webhook_url', details: { field: 'url' } });
      expect(userinfo.body.error.details.reason).toMatch(/user name or password/);
      // The fragment is dropped (never sent), the host lower-cased.
      const normalised = await api('POST', '/webhooks', { url: ' https://HOOKS.example.com:443/a#frag ', events: ['*'] });
      expect(normalised.body.url).toBe('https://hooks.example.com/a');
      await api('DELETE', `/webhooks/${normalised.body.id}`);
    });

    it('refuses an endpoint on a loopback, private or link-local address at creation and at a change (SSRF)', async () => {
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://localhost/hook',
        'http://10.0.0.5/x',
        'http://169.254.169.254/latest',
        'http://[::1]/x',
      ]) {
        const res = await api('POST', '/webhooks', { url, events: ['*'] });
        expect(res.status, url).toBe(400);
        expect(res.body.error.code, url).toBe('webhook_url_forbidden');
      }
      const created = await api('POST', '/webhooks', { url: HOOK, events: ['*'] });
      const moved = await api('PATCH', `/webhooks/${created.body.id}`, { url: 'http://192.168.1.1/x' });
      expect(moved.body.error.code).toBe('webhook_url_forbidden');
      await api('DELETE', `/webhooks/${created.body.id}`);
    });

    it('takes a private address when the operator allows it (LUMIO_WEBHOOK_ALLOW_PRIVATE)', async () => {
      const allowed = await createTestApp(dialect, { config: { webhookAllowPrivate: true } });
      try {
        const ownerB = await setupOwner(allowed);
        const res = await workspaceApi(allowed, ownerB)('POST', '/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['*'] });
        expect(res.status).toBe(201);
      } finally {
        await allowed.close();
      }
    });

    it('refuses unknown event types, an empty selection and unknown fields (no secret chosen by the caller)', async () => {
      for (const body of [
        { url: HOOK, events: ['user.deleted'] },
        { url: HOOK, events: [] },
        { url: HOOK },
        { url: HOOK, events: ['*'], secret: 'whsec_mine' },
        { url: HOOK, events: ['*'], description: 'x'.repeat(501) },
      ]) {
        const res = await api('POST', '/webhooks', body);
        expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });

    it('changes URL, description, events and enabled; a patch that changes nothing records nothing', async () => {
      const created = await api('POST', '/webhooks', { url: HOOK, events: ['*'] });
      const id = created.body.id;
      t.clock.advance(1000);
      const patched = await api('PATCH', `/webhooks/${id}`, {
        url: 'http://hooks.example.com/v2',
        description: 'v2',
        events: ['company.updated'],
        enabled: false,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        url: 'http://hooks.example.com/v2',
        description: 'v2',
        events: ['company.updated'],
        enabled: false,
        disabledAt: t.clock.now(),
        updatedAt: t.clock.now(),
      });
      expect(patched.body).not.toHaveProperty('secret');
      const before = (await auditRows('webhook.update')).length;
      const same = await api('PATCH', `/webhooks/${id}`, { description: 'v2', enabled: false });
      expect(same.status).toBe(200);
      expect((await auditRows('webhook.update')).length).toBe(before);
      const enabled = await api('PATCH', `/webhooks/${id}`, { enabled: true });
      expect(enabled.body).toMatchObject({ enabled: true, disabledAt: null });
      const bad = await api('PATCH', `/webhooks/${id}`, { url: 'https://a:b@hooks.example.com/' });
      expect(bad.body.error.code).toBe('invalid_webhook_url');
      expect((await api('GET', `/webhooks/${id}`)).body.url).toBe('http://hooks.example.com/v2');
      await api('DELETE', `/webhooks/${id}`);
    });

    it('a disabled endpoint gets no new deliveries; enabled again, it does', async () => {
      const created = await api('POST', '/webhooks', { url: HOOK, events: ['user.erased'], enabled: false });
      const record = () =>
        t.deps.db
          .transaction()
          .execute((trx) => recordWebhookEvent(trx, owner.workspaceId, 'user.erased', { user: { id: 'u' } }, t.clock.now()));
      expect(await record()).toBeNull();
      await api('PATCH', `/webhooks/${created.body.id}`, { enabled: true });
      expect(await record()).toMatch(/^evt/);
      await api('DELETE', `/webhooks/${created.body.id}`);
    });

    it('rotates the secret: the new one is shown once and replaces the old at once; audited without it', async () => {
      const created = await api('POST', '/webhooks', { url: HOOK, events: ['*'] });
      const rotated = await api('POST', `/webhooks/${created.body.id}/rotate-secret`, {});
      expect(rotated.status).toBe(201);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(created.body.secret);
      const row = await stored(created.body.id);
      expect(openWebhookSecret(t.deps.secretBox, created.body.id, row.secret_ciphertext)).toBe(rotated.body.secret);
      const audit = (await auditRows('webhook.update')).filter((r) => r.target_id === created.body.id);
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0]!.details)).toContain('secretRotated');
      expect(JSON.stringify(audit)).not.toContain(rotated.body.secret);
      await api('DELETE', `/webhooks/${created.body.id}`);
    });

    it('deletes an endpoint with its delivery log; audited; a second delete is a 404', async () => {
      const created = await api('POST', '/webhooks', { url: HOOK, events: ['*'] });
      await t.deps.db
        .transaction()
        .execute((trx) => recordWebhookEvent(trx, owner.workspaceId, 'user.created', { user: { id: 'u1' } }, t.clock.now()));
      const gone = await api('DELETE', `/webhooks/${created.body.id}`);
      expect(gone.status).toBe(204);
      expect((await api('GET', `/webhooks/${created.body.id}`)).status).toBe(404);
      expect((await api('DELETE', `/webhooks/${created.body.id}`)).status).toBe(404);
      const left = await t.deps.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', created.body.id).execute();
      expect(left).toEqual([]);
      const audit = (await auditRows('webhook.delete')).filter((r) => r.target_id === created.body.id);
      expect(audit).toHaveLength(1);
      // The audit log names the endpoint by its URL, a deleted one by the URL it had.
      const shown = await api('GET', '/audit-log?action=webhook.delete');
      expect(shown.body.entries[0].target).toMatchObject({ type: 'webhook', id: created.body.id, name: HOOK, deleted: true });
    });

    it('holds at most 20 endpoints per workspace', async () => {
      const start = (await api('GET', '/webhooks')).body.endpoints.length;
      for (let i = start; i < 20; i++) expect((await api('POST', '/webhooks', { url: `${HOOK}/${i}`, events: ['*'] })).status).toBe(201);
      const over = await api('POST', '/webhooks', { url: `${HOOK}/over`, events: ['*'] });
      expect(over.status).toBe(409);
      expect(over.body.error.code).toBe('webhook_endpoint_limit');
      expect((await api('GET', '/webhooks')).body.endpoints).toHaveLength(20);
      for (const e of (await api('GET', '/webhooks')).body.endpoints) await api('DELETE', `/webhooks/${e.id}`);
    });

    it('refuses members every webhook route (403), and other workspaces see nothing (404)', async () => {
      const created = await api('POST', '/webhooks', { url: HOOK, description: 'owner-only', events: ['*'] });
      const id = created.body.id;
      const member = workspaceApi(t, await addMember(t, owner, `member-${dialect}@example.com`, 'member'));
      const outsider = await otherWorkspaceOwner(t, `outsider-${dialect}@example.com`);
      const outsiderApi = workspaceApi(t, outsider);
      const routes: Array<[string, string, unknown?]> = [
        ['GET', '/webhooks'],
        ['POST', '/webhooks', { url: HOOK, events: ['*'] }],
        ['GET', `/webhooks/${id}`],
        ['PATCH', `/webhooks/${id}`, { enabled: false }],
        ['DELETE', `/webhooks/${id}`],
        ['POST', `/webhooks/${id}/rotate-secret`, {}],
        ['GET', `/webhooks/${id}/deliveries`],
      ];
      for (const [method, path, body] of routes) {
        const res = await member(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(403);
      }
      // The outsider's own workspace, the owner's endpoint id.
      for (const [method, path, body] of routes.slice(2)) {
        const res = await outsiderApi(method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
      }
      expect((await outsiderApi('GET', '/webhooks')).body.endpoints).toEqual([]);
      expect((await api('GET', `/webhooks/${id}`)).body).toMatchObject({ enabled: true, description: 'owner-only' });
      await api('DELETE', `/webhooks/${id}`);
    });

    it('the server API (API key) lists, creates (secret once), reads, changes and deletes endpoints of its workspace only', async () => {
      const key = await createApiKey(t, owner);
      const other = await otherWorkspaceOwner(t, `server-api-${dialect}@example.com`);
      const otherKey = await createApiKey(t, other);
      const server = (method: string, url: string, payload?: unknown, bearer = key) =>
        call(t.app, { method: method as 'GET', url, bearer, payload: payload as object });
      const created = await server('POST', '/server/v1/webhooks', { url: HOOK, events: ['user.verified'] });
      expect(created.status).toBe(201);
      expect(created.body.secret).toMatch(/^whsec_/);
      const id = created.body.id;
      expect((await server('GET', '/server/v1/webhooks')).body.endpoints.map((e: { id: string }) => e.id)).toEqual([id]);
      expect((await server('GET', `/server/v1/webhooks/${id}`)).body).not.toHaveProperty('secret');
      expect((await server('PATCH', `/server/v1/webhooks/${id}`, { events: ['*'] })).body.events).toEqual(['*']);
      // Another workspace's key finds nothing and changes nothing.
      for (const [method, payload] of [['GET'], ['PATCH', { enabled: false }], ['DELETE']] as const) {
        const res = await server(method, `/server/v1/webhooks/${id}`, payload, otherKey);
        expect(res.status, method).toBe(404);
      }
      expect((await server('GET', '/server/v1/webhooks', undefined, otherKey)).body.endpoints).toEqual([]);
      expect((await server('GET', '/server/v1/webhooks', undefined, 'lk_wrong')).status).toBe(401);
      const audit = (await auditRows('webhook.create')).filter((r) => r.target_id === id);
      expect(audit[0]).toMatchObject({ actor_type: 'api_key' });
      expect((await server('DELETE', `/server/v1/webhooks/${id}`)).status).toBe(204);
      expect((await server('GET', `/server/v1/webhooks/${id}`)).status).toBe(404);
    });
  });
}
