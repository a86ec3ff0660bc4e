import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  PASSWORD,
  addMember,
  call,
  createApiKey,
  createWidget,
  setupOwner,
  sign,
  startSession,
  identify,
  login,
  type Session,
} from '../test-support/api-helpers.js';
import { storeCompany } from '../test-support/stored-companies.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.js';

// A body that passes every route's validation, so a refusal comes from the tenancy check, not from a 400.
const GENERIC_BODY = { name: 'x', role: 'member', password: PASSWORD, graceSeconds: 0 };
// Segment, announcement and webhook bodies are strict (unknown fields refused), so they get their own valid ones.
const bodyFor = (url: string) =>
  url.endsWith(':workspaceId/settings')
    ? { browserVisibleKeys: ['cross_tenant'], personalisedHelp: false }
    : url.includes('/webhooks')
      ? { url: 'https://a-hooks.example.com/x', events: ['*'], enabled: false }
      : url.includes('/announcements') || url.includes('/help/articles')
        ? { title: 'x' }
        : url.includes('/segments')
          ? { name: 'x', condition: {} }
          : url.includes('/help/collections')
            ? { name: 'x' }
            : GENERIC_BODY;

for (const dialect of DIALECTS) {
  describe(`tenant isolation and roles [${dialect}]`, () => {
    let t: TestApp;
    let a: Session;
    let aMember: Session;
    let b: Session;
    let bIds: {
      widgetId: string;
      secretKeyId: string;
      secret: string;
      apiKeyId: string;
      inviteId: string;
      accountId: string;
      segmentId: string;
      announcementId: string;
      collectionId: string;
      articleId: string;
      jobId: string;
      companyId: string;
      endpointId: string;
      deliveryId: string;
    };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await setupOwner(t, 'a@example.com');
      aMember = await addMember(t, a, 'a-member@example.com', 'member');
      // Workspace B belongs to another account entirely.
      const bAccount = await t.services.accounts.create({ email: 'b@example.com', password: PASSWORD });
      const bWorkspace = await t.services.workspaces.create('Beta', bAccount.id, { type: 'cli', id: null, ip: null });
      b = {
        cookie: await login(t, 'b@example.com'),
        accountId: bAccount.id,
        workspaceId: bWorkspace.id,
        email: 'b@example.com',
        password: PASSWORD,
      };
      const widget = await createWidget(t, b);
      const bKey = await createApiKey(t, b);
      // A user of B's, for routes taking a userId (help relevance's ?userId=).
      await call(t.app, {
        method: 'PUT',
        url: '/server/v1/users/b-user',
        bearer: bKey,
        payload: { properties: { plan: 'b-secret-plan' } },
      });
      // A company of B's with B's user in it, for routes taking a companyId.
      await call(t.app, {
        method: 'PUT',
        url: '/server/v1/users/b-user',
        bearer: bKey,
        payload: { companies: [{ id: 'b-company', name: 'B Co', properties: { tier: 'b-secret-tier' } }] },
      });
      const keys = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${b.workspaceId}/api-keys`, cookie: b.cookie });
      const invite = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${b.workspaceId}/invites`,
        cookie: b.cookie,
        payload: { role: 'member' },
      });
      const segment = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${b.workspaceId}/segments`,
        cookie: b.cookie,
        payload: { name: 'B users', condition: { plan: 'b-secret-plan' } },
      });
      const announcement = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${b.workspaceId}/announcements`,
        cookie: b.cookie,
        payload: { kind: 'popup', title: 'B only', body: 'b-secret-body', status: 'live', audience: { segmentId: segment.body.id } },
      });
      const collection = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${b.workspaceId}/help/collections`,
        cookie: b.cookie,
        payload: { name: 'B guides' },
      });
      const article = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${b.workspaceId}/help/articles`,
        cookie: b.cookie,
        // The tag makes a leak of B's topics (GET …/help/topics) show as 'b-secret' too.
        payload: {
          title: 'B article',
          body: 'b-secret-article',
          collectionId: collection.body.id,
          status: 'published',
          tags: ['b-secret-topic'],
        },
      });
      const importJob = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${b.workspaceId}/help/import`,
        cookie: b.cookie,
        payload: { files: [{ path: 'b-import.md', content: '---\ntitle: B import\n---\nb-secret-import' }] },
      });
      expect(importJob.status).toBe(202);
      const endpoint = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${b.workspaceId}/webhooks`,
        cookie: b.cookie,
        payload: { url: 'https://b-hooks.example.com/lumio', description: 'b-secret-endpoint', events: ['*'] },
      });
      expect(endpoint.status).toBe(201);
      // A delivery of B's, for the delivery log and resend routes.
      await t.deps.db
        .transaction()
        .execute((trx) => recordWebhookEvent(trx, b.workspaceId, 'user.erased', { user: { id: 'b-secret-user' } }, t.clock.now()));
      const delivery = await t.deps.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('endpoint_id', '=', endpoint.body.id)
        .executeTakeFirstOrThrow();
      bIds = {
        endpointId: endpoint.body.id,
        deliveryId: delivery.id,
        jobId: importJob.body.jobId,
        companyId: 'b-company',
        collectionId: collection.body.id,
        articleId: article.body.id,
        segmentId: segment.body.id,
        announcementId: announcement.body.id,
        widgetId: widget.widgetId,
        secretKeyId: widget.keyId,
        secret: widget.secret,
        apiKeyId: keys.body.apiKeys[0].id,
        inviteId: invite.body.id,
        accountId: b.accountId,
      };
    });
    afterAll(async () => t?.close());

    const workspaceRoutes = () => t.routes.filter((r) => r.lumio?.scope === 'workspace' && r.method !== 'HEAD');

    const fill = (url: string, workspaceId: string) =>
      url
        .replace(':workspaceId', workspaceId)
        .replace(':widgetId', bIds.widgetId)
        .replace(':keyId', url.includes('/api-keys/') ? bIds.apiKeyId : bIds.secretKeyId)
        .replace(':inviteId', bIds.inviteId)
        .replace(':accountId', bIds.accountId)
        .replace(':segmentId', bIds.segmentId)
        .replace(':announcementId', bIds.announcementId)
        .replace(':collectionId', bIds.collectionId)
        .replace(':articleId', bIds.articleId)
        .replace(':jobId', bIds.jobId)
        .replace(':companyId', 'b-company')
        .replace(':userId', 'b-user')
        .replace(':endpointId', bIds.endpointId)
        .replace(':deliveryId', bIds.deliveryId)
        // Routes that name a user in the query string get B's user.
        .concat(url.endsWith('/relevance') ? '?userId=b-user' : '');

    it('has workspace routes to check, each declaring its least role', () => {
      const routes = workspaceRoutes();
      expect(routes.length).toBeGreaterThan(15);
      for (const r of routes) expect(['owner', 'admin', 'member']).toContain(r.lumio?.minRole);
    });

    it("refuses every workspace route called with another workspace's id (404, nothing leaks)", async () => {
      for (const route of workspaceRoutes()) {
        const res = await call(t.app, {
          method: route.method as 'GET',
          url: fill(route.url, b.workspaceId),
          cookie: a.cookie,
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : bodyFor(route.url),
        });
        expect(res.status, `${route.method} ${route.url}`).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain(bIds.secret);
        expect(JSON.stringify(res.body)).not.toContain('b-secret');
      }
      // B's workspace settings are untouched.
      const settings = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${b.workspaceId}/settings`, cookie: b.cookie });
      expect(settings.body).toMatchObject({ browserVisibleKeys: [], personalisedHelp: true });
    });

    it("refuses every route given the caller's workspace but another workspace's resource ids", async () => {
      for (const route of workspaceRoutes().filter((r) =>
        /:(widgetId|keyId|inviteId|accountId|segmentId|announcementId|collectionId|articleId|jobId|companyId|endpointId|deliveryId)/.test(
          r.url,
        ),
      )) {
        const res = await call(t.app, {
          method: route.method as 'GET',
          url: fill(route.url, a.workspaceId),
          cookie: a.cookie,
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : bodyFor(route.url),
        });
        expect(res.status, `${route.method} ${route.url}`).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain(bIds.secret);
        expect(JSON.stringify(res.body)).not.toContain('b-secret');
      }
      // B's resources are untouched.
      const secrets = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${b.workspaceId}/widgets/${bIds.widgetId}/secrets`,
        cookie: b.cookie,
      });
      expect(secrets.body.secrets).toEqual([expect.objectContaining({ keyId: bIds.secretKeyId, state: 'current' })]);
      const keys = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${b.workspaceId}/api-keys`, cookie: b.cookie });
      expect(keys.body.apiKeys[0].revokedAt).toBeNull();
      const invites = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${b.workspaceId}/invites`, cookie: b.cookie });
      expect(invites.body.invites.map((i: { id: string }) => i.id)).toContain(bIds.inviteId);
      const members = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${b.workspaceId}/members`, cookie: b.cookie });
      expect(members.body.members).toEqual([expect.objectContaining({ accountId: b.accountId, role: 'owner' })]);
      const endpoint = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${b.workspaceId}/webhooks/${bIds.endpointId}`,
        cookie: b.cookie,
      });
      expect(endpoint.body).toMatchObject({ enabled: true, url: 'https://b-hooks.example.com/lumio' });
      const deliveries = await t.deps.db.selectFrom('webhook_deliveries').select('id').where('workspace_id', '=', b.workspaceId).execute();
      expect(deliveries).toEqual([{ id: bIds.deliveryId }]);
    });

    it("never answers another workspace's content from the caller's own workspace lists (a query missing its workspace filter)", async () => {
      const lists = workspaceRoutes().filter((r) => r.method === 'GET' && !/:(?!workspaceId\b)\w+/.test(r.url));
      expect(lists.map((r) => r.url)).toEqual(
        expect.arrayContaining(['/api/v1/workspaces/:workspaceId/help/topics', '/api/v1/workspaces/:workspaceId/companies']),
      );
      for (const route of lists) {
        const res = await call(t.app, { method: 'GET', url: fill(route.url, a.workspaceId), cookie: a.cookie });
        expect(res.status, `${route.method} ${route.url}`).toBeLessThan(500);
        expect(JSON.stringify(res.body), `${route.method} ${route.url}`).not.toContain('b-secret');
      }
    });

    it('refuses a member every secret, key, team, audit and verification-mode route (403)', async () => {
      const adminRoutes = workspaceRoutes().filter((r) => r.lumio?.minRole !== 'member');
      expect(adminRoutes.map((r) => r.url)).toEqual(
        expect.arrayContaining([
          '/api/v1/workspaces/:workspaceId/widgets/:widgetId/secrets/reveal',
          '/api/v1/workspaces/:workspaceId/widgets/:widgetId/secrets/rotate',
          '/api/v1/workspaces/:workspaceId/api-keys',
          '/api/v1/workspaces/:workspaceId/members/:accountId',
          '/api/v1/workspaces/:workspaceId/audit-log',
          '/api/v1/workspaces/:workspaceId/settings',
          '/api/v1/workspaces/:workspaceId/webhooks',
          '/api/v1/workspaces/:workspaceId/webhooks/:endpointId/deliveries',
          '/api/v1/workspaces/:workspaceId/webhooks/:endpointId/deliveries/:deliveryId/resend',
        ]),
      );
      const own = await createWidget(t, a);
      for (const route of adminRoutes) {
        const url = route.url
          .replace(':workspaceId', a.workspaceId)
          .replace(':widgetId', own.widgetId)
          .replace(':keyId', own.keyId)
          .replace(':inviteId', 'inv_x')
          .replace(':accountId', a.accountId);
        const res = await call(t.app, {
          method: route.method as 'GET',
          url,
          cookie: aMember.cookie,
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : { ...GENERIC_BODY, verificationMode: 'required' },
        });
        expect(res.status, `${route.method} ${route.url}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
        expect(JSON.stringify(res.body)).not.toContain(own.secret);
      }
      const widget = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${a.workspaceId}/widgets/${own.widgetId}`,
        cookie: aMember.cookie,
      });
      expect(widget.status).toBe(200);
      expect(widget.body.verificationMode).toBe('optional');
    });

    it('refuses every instance route to every account but the instance owner (403), signed out (401), from another origin (403)', async () => {
      const instanceRoutes = t.routes.filter((r) => r.lumio?.scope === 'instance' && r.method !== 'HEAD');
      expect(instanceRoutes.map((r) => `${r.method} ${r.url}`)).toEqual(
        expect.arrayContaining(['GET /api/v1/instance/email', 'PUT /api/v1/instance/email', 'POST /api/v1/instance/email/test']),
      );
      // B owns a workspace and A's member is in A's: neither set the instance up.
      for (const route of instanceRoutes) {
        const payload =
          route.method === 'GET'
            ? undefined
            : { host: '127.0.0.1', port: 9, security: 'none', from: 'x <x@example.com>', publicUrl: 'https://b.example' };
        for (const session of [b, aMember]) {
          const res = await call(t.app, { method: route.method as 'GET', url: route.url, cookie: session.cookie, payload });
          expect(res.status, `${route.method} ${route.url}`).toBe(403);
          expect(res.body.error.code).toBe('instance_owner_only');
        }
        expect((await call(t.app, { method: route.method as 'GET', url: route.url, payload })).status).toBe(401);
        if (route.method !== 'GET') {
          const foreign = await call(t.app, {
            method: route.method as 'GET',
            url: route.url,
            cookie: a.cookie,
            payload,
            headers: { origin: 'https://evil.example' },
          });
          expect(foreign.body.error.code, `${route.method} ${route.url}`).toBe('origin_not_allowed');
        }
      }
      const stored = await call(t.app, { method: 'GET', url: '/api/v1/instance/email', cookie: a.cookie });
      expect(stored.status).toBe(200);
      expect(stored.body.settings).toBeNull();
    });

    it("never delivers another workspace's announcements to a widget session, nor records events on them", async () => {
      const aWidget = await createWidget(t, a);
      const sa = await startSession(t, aWidget.widgetId);
      // Even with B's targeting attribute on A's user.
      const identified = await identify(t, aWidget.widgetId, sa.token, {
        userId: 'same',
        signature: sign('same', aWidget.secret),
        properties: { plan: 'b-secret-plan' },
      });
      const feed = await call(t.app, { method: 'GET', url: `/widget/v1/${aWidget.widgetId}/announcements`, bearer: identified.body.token });
      expect(feed.status).toBe(200);
      expect(JSON.stringify(feed.body)).not.toContain('b-secret');
      const event = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${aWidget.widgetId}/announcements/${bIds.announcementId}/events`,
        bearer: identified.body.token,
        payload: { type: 'dismissed' },
      });
      expect(event.status).toBe(404);
      // Nor B's help center: not by id, not by slug, not in lists, not to save.
      for (const ref of [bIds.articleId, 'b-article']) {
        const read = await call(t.app, {
          method: 'GET',
          url: `/widget/v1/${aWidget.widgetId}/help/articles/${ref}`,
          bearer: identified.body.token,
        });
        expect(read.status).toBe(404);
      }
      const list = await call(t.app, { method: 'GET', url: `/widget/v1/${aWidget.widgetId}/help/articles`, bearer: identified.body.token });
      expect(JSON.stringify(list.body)).not.toContain('b-secret');
      const save = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${aWidget.widgetId}/help/articles/${bIds.articleId}/save`,
        bearer: identified.body.token,
      });
      expect(save.status).toBe(404);
      // A's session token is no key to B's widget either.
      const crossWidget = await call(t.app, {
        method: 'GET',
        url: `/widget/v1/${bIds.widgetId}/announcements`,
        bearer: identified.body.token,
      });
      expect(crossWidget.body.error.code).toBe('invalid_session');
    });

    it("answers every API-key route given another workspace's user or company id with 404 for reads and erasures, leaking nothing", async () => {
      const aKey = await createApiKey(t, a);
      const routes = t.routes.filter((r) => r.lumio?.scope === 'api-key' && r.method !== 'HEAD');
      expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
        expect.arrayContaining([
          'GET /server/v1/companies/:companyId',
          'DELETE /server/v1/companies/:companyId',
          'GET /server/v1/companies',
        ]),
      );
      // Reads and erasures first: a write below may create A's own record of the same id, which is A's to read.
      const writes = (method: string) => method === 'PUT' || method === 'POST' || method === 'PATCH';
      for (const route of [...routes.filter((r) => !writes(r.method)), ...routes.filter((r) => writes(r.method))]) {
        const res = await call(t.app, {
          method: route.method as 'GET',
          url: fill(route.url, a.workspaceId),
          bearer: aKey,
          payload: writes(route.method) ? {} : undefined,
        });
        const label = `${route.method} ${route.url}`;
        expect(res.status, label).toBeLessThan(500);
        if (!writes(route.method) && /:(userId|companyId)/.test(route.url)) expect(res.status, label).toBe(404);
        // Not 'b-secret' as such: an earlier test gave A's own user the value 'b-secret-plan'.
        expect(JSON.stringify(res.body), label).not.toContain('b-secret-tier');
        expect(JSON.stringify(res.body), label).not.toContain(b.workspaceId);
      }
      // B's user and company are untouched.
      const bKey = await createApiKey(t, b);
      const company = await call(t.app, { method: 'GET', url: '/server/v1/companies/b-company', bearer: bKey });
      expect(company.body).toMatchObject({ name: 'B Co', properties: { tier: 'b-secret-tier' }, memberCount: 1 });
      const user = await call(t.app, { method: 'GET', url: '/server/v1/users/b-user', bearer: bKey });
      expect(user.body.properties).toEqual({ plan: 'b-secret-plan' });
    });

    it('keeps users apart: the same userId in two workspaces is two people, and a key sees only its own', async () => {
      const aWidget = await createWidget(t, a);
      const sa = await startSession(t, aWidget.widgetId);
      await identify(t, aWidget.widgetId, sa.token, {
        userId: 'same',
        signature: sign('same', aWidget.secret),
        properties: { plan: 'a-plan' },
      });
      const sb = await startSession(t, bIds.widgetId);
      await identify(t, bIds.widgetId, sb.token, { userId: 'same', signature: sign('same', bIds.secret), properties: { plan: 'b-plan' } });
      // B's secret never verifies for A's widget.
      const cross = await identify(t, aWidget.widgetId, sa.token, { userId: 'other', signature: sign('other', bIds.secret) });
      expect(cross.body.error.code).toBe('invalid_signature');

      const aKey = await createApiKey(t, a);
      const got = await call(t.app, { method: 'GET', url: '/server/v1/users/same', bearer: aKey });
      expect(got.body.properties.plan).toBe('a-plan');
      const list = await call(t.app, { method: 'GET', url: '/server/v1/users', bearer: aKey });
      expect(list.body.users.map((u: { properties: { plan?: string } }) => u.properties.plan)).not.toContain('b-plan');
      // A merge with A's key never reaches B's users: B's user is unknown to A, and nothing of it moves.
      // (A user only B has: the route-table test above may have written a `b-user` into A with A's key.)
      await call(t.app, {
        method: 'PUT',
        url: '/server/v1/users/b-only-user',
        bearer: await createApiKey(t, b),
        payload: { properties: { plan: 'b-secret-plan' } },
      });
      const merge = await call(t.app, {
        method: 'POST',
        url: '/server/v1/users/same/merge',
        bearer: aKey,
        payload: { from: 'b-only-user' },
      });
      expect(merge.status).toBe(404);
      expect(JSON.stringify(merge.body)).not.toContain('b-secret');
      expect((await t.services.users.get(b.workspaceId, 'b-only-user'))?.properties.plan).toBe('b-secret-plan');
      const erase = await call(t.app, { method: 'DELETE', url: '/server/v1/users/same', bearer: aKey });
      expect(erase.status).toBe(200);
      expect((await t.services.users.get(b.workspaceId, 'same'))?.properties.plan).toBe('b-plan');

      // Server events: the key decides the workspace, whatever the events name. B's event id,
      // sent with A's key, is a new event of A's (never a duplicate answered from B's rows).
      const bKey = await createApiKey(t, b);
      const bEvent = { id: 'srv_tenancy_0001', name: 'b-secret-event', userId: 'same', company: 'b-co' };
      expect(
        (await call(t.app, { method: 'POST', url: '/server/v1/events', bearer: bKey, payload: { events: [bEvent] } })).body.accepted,
      ).toBe(1);
      const aPost = await call(t.app, {
        method: 'POST',
        url: '/server/v1/events',
        bearer: aKey,
        payload: { events: [{ ...bEvent, name: 'a-event' }] },
      });
      expect(aPost.body).toMatchObject({ accepted: 1, duplicates: 0 });
      expect(JSON.stringify(aPost.body)).not.toContain('b-secret');
      const events = await t.deps.db
        .selectFrom('events')
        .select(['workspace_id', 'name', 'company_id'])
        .where('event_id', '=', bEvent.id)
        .execute();
      expect(events.map((e) => [e.workspace_id, e.name]).sort()).toEqual(
        [
          [a.workspaceId, 'a-event'],
          [b.workspaceId, 'b-secret-event'],
        ].sort(),
      );
      // A's company 'b-co' is A's own; B's is untouched.
      const companies = await t.deps.db.selectFrom('companies').select('workspace_id').where('company_id', '=', 'b-co').execute();
      expect(companies.map((c) => c.workspace_id).sort()).toEqual([a.workspaceId, b.workspaceId].sort());
      expect((await t.services.users.get(b.workspaceId, 'same'))?.properties.plan).toBe('b-plan');
    });

    it("imports only into the key's own workspace: a file naming another workspace's users writes new users of its own", async () => {
      const aKey = await createApiKey(t, a);
      // A user and a company only B has (tests above may have written `b-user` into A with A's key).
      await call(t.app, {
        method: 'PUT',
        url: '/server/v1/users/b-import-target',
        bearer: await createApiKey(t, b),
        payload: { properties: { plan: 'b-secret-plan' }, companies: [{ id: 'b-import-co', name: 'B import co' }] },
      });
      const bCompanies = () =>
        t.adapter.db
          .selectFrom('companies')
          .select(['company_id', 'name'])
          .where('workspace_id', '=', b.workspaceId)
          .orderBy('company_id')
          .execute();
      const before = await bCompanies();
      const file = 'user_id,name,properties.plan,company_id,company_name\nb-import-target,Mallory,a-import,b-import-co,Mallory Co\n';
      const res = await call(t.app, {
        method: 'POST',
        url: '/server/v1/users/import',
        bearer: aKey,
        headers: { 'content-type': 'text/csv' },
        payload: file,
      });
      expect(res.body).toMatchObject({ imported: 1, created: 1, failed: 0 });
      expect((await t.services.users.get(b.workspaceId, 'b-import-target'))?.properties.plan).toBe('b-secret-plan');
      expect((await t.services.users.get(b.workspaceId, 'b-import-target'))?.name).toBeNull();
      expect((await t.services.users.get(a.workspaceId, 'b-import-target'))?.properties.plan).toBe('a-import');
      expect(await bCompanies()).toEqual(before);
      // B's key cannot be borrowed by A's file either: no key, no import.
      const none = await call(t.app, {
        method: 'POST',
        url: '/server/v1/users/import',
        headers: { 'content-type': 'text/csv' },
        payload: file,
      });
      expect(none.status).toBe(401);
    });
  });
}
