import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, identify, setupOwner, sign, startSession } from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`demo mode [${dialect}]`, () => {
    let t: TestApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    /** Signs in a demo user on the /demo host app and returns what its identity endpoint hands the page. */
    async function demoIdentity(app: TestApp, user: string) {
      const login = await call(app.app, { method: 'GET', url: `/demo/login?user=${user}` });
      expect(login.status).toBe(302);
      expect(login.headers.location).toBe('/demo/');
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      expect(String(login.headers['set-cookie'])).toContain('Path=/demo; HttpOnly');
      const me = await call(app.app, { method: 'GET', url: '/demo/api/lumio-identity', cookie });
      expect(me.status).toBe(200);
      return me.body as { userId: string; signature: string; name: string; properties: Record<string, unknown> };
    }

    it('creates a Demo workspace and a required-signature widget on a fresh database, once, owned by the setup owner', async () => {
      t = await createTestApp(dialect);
      const demo = await t.services.demo.ensureCreated();
      expect(demo).not.toBeNull();
      expect(await t.services.demo.ensureCreated()).toEqual(demo);

      const owner = await setupOwner(t);
      const workspaces = await call(t.app, { method: 'GET', url: '/api/v1/workspaces', cookie: owner.cookie });
      expect(workspaces.body.workspaces.map((w: { name: string; role: string }) => [w.name, w.role]).sort()).toEqual([
        ['Acme', 'owner'],
        ['Demo', 'owner'],
      ]);
      const widget = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${demo!.workspaceId}/widgets/${demo!.widgetId}`,
        cookie: owner.cookie,
      });
      expect(widget.body).toMatchObject({ name: 'Demo app', verificationMode: 'required' });
      const audit = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${demo!.workspaceId}/audit-log`, cookie: owner.cookie });
      expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['workspace.create', 'widget.create', 'member.add']),
      );
      // Deleting it is final: a set-up server never gets it back.
      await call(t.app, {
        method: 'DELETE',
        url: `/api/v1/workspaces/${demo!.workspaceId}/widgets/${demo!.widgetId}`,
        cookie: owner.cookie,
      });
      const gone = await call(t.app, { method: 'GET', url: '/demo' });
      expect(gone.status).toBe(404);
      expect(gone.body).toContain('no demo widget');
    });

    it('makes no demo on a database that was set up without demo mode', async () => {
      t = await createTestApp(dialect);
      const owner = await setupOwner(t);
      expect(await t.services.demo.ensureCreated()).toBeNull();
      const workspaces = await call(t.app, { method: 'GET', url: '/api/v1/workspaces', cookie: owner.cookie });
      expect(workspaces.body.workspaces).toHaveLength(1);
      expect((await call(t.app, { method: 'GET', url: '/demo' })).status).toBe(404);
    });

    it('serves the host app at /demo, whose server signs the demo user so identify is verified', async () => {
      t = await createTestApp(dialect);
      const demo = (await t.services.demo.ensureCreated())!;
      const page = await call(t.app, { method: 'GET', url: '/demo', headers: { host: 'lumio.test:8080' } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain(`LumioWidget('init', { widgetId: "${demo.widgetId}" })`);
      // The snippet points at this server, the way /sdk/v1/loader.js does.
      expect(page.body).toContain('"http://lumio.test:8080"');
      expect(page.body).not.toMatch(/lsk_/);

      const anonymous = await call(t.app, { method: 'GET', url: '/demo/api/lumio-identity' });
      expect(anonymous.body).toEqual({ userId: null });
      const ada = await demoIdentity(t, 'ada');
      expect(ada).toMatchObject({ userId: 'demo-ada', name: 'Ada Lovelace', properties: { plan: 'pro' } });
      const session = await startSession(t, demo.widgetId);
      const verified = await identify(t, demo.widgetId, session.token, ada);
      expect(verified.status).toBe(200);
      expect(verified.body.state).toBe('verified');
      expect((await t.services.users.get(demo.workspaceId, 'demo-ada'))!.properties).toMatchObject({ plan: 'pro', seats: 12 });
    });

    it('seeds a welcome post for everyone and a banner for free-plan users, and lets the host app change the plan it sends', async () => {
      t = await createTestApp(dialect);
      const demo = (await t.services.demo.ensureCreated())!;
      const seeded = await t.services.announcements.list(demo.workspaceId);
      expect(seeded.map((a) => [a.kind, a.status, a.audienceSummary]).sort()).toEqual([
        ['banner', 'live', 'verified users where plan is free'],
        ['post', 'live', 'everyone'],
      ]);
      // Grace is on the free plan; the host app's "switch to pro" changes what its identify sends.
      const login = await call(t.app, { method: 'GET', url: '/demo/login?user=grace' });
      const cookies = (login.headers['set-cookie'] as string[]).map((c) => c.split(';')[0]!);
      expect(cookies).toEqual(['demo_user=grace', 'demo_plan=']);
      const grace = await call(t.app, { method: 'GET', url: '/demo/api/lumio-identity', cookie: cookies[0] });
      expect(grace.body.properties.plan).toBe('free');
      const upgraded = await call(t.app, { method: 'GET', url: '/demo/plan?plan=pro', cookie: cookies[0] });
      expect(upgraded.headers['set-cookie']).toContain('demo_plan=pro');
      const page = await call(t.app, { method: 'GET', url: '/demo/', cookie: `${cookies[0]}; demo_plan=pro` });
      expect(page.body).toContain('Plan: <b id="plan">pro</b>');
      const pro = await call(t.app, { method: 'GET', url: '/demo/api/lumio-identity', cookie: `${cookies[0]}; demo_plan=pro` });
      expect(pro.body.properties).toMatchObject({ plan: 'pro', role: 'member' });
      // Only the two plans are taken.
      const odd = await call(t.app, { method: 'GET', url: '/demo/api/lumio-identity', cookie: `${cookies[0]}; demo_plan=enterprise` });
      expect(odd.body.properties.plan).toBe('free');

      const session = await startSession(t, demo.widgetId);
      const verified = await identify(t, demo.widgetId, session.token, grace.body);
      const feed = await call(t.app, { method: 'GET', url: `/widget/v1/${demo.widgetId}/announcements`, bearer: verified.body.token });
      expect(feed.body.announcements.map((a: { kind: string }) => a.kind).sort()).toEqual(['banner', 'post']);
      const again = await identify(t, demo.widgetId, verified.body.token, pro.body);
      const after = await call(t.app, { method: 'GET', url: `/widget/v1/${demo.widgetId}/announcements`, bearer: again.body.token });
      expect(after.body.announcements.map((a: { kind: string }) => a.kind)).toEqual(['post']);
    });

    it('signs with the current secret after a rotation, and signs nobody for an unknown user', async () => {
      t = await createTestApp(dialect);
      const demo = (await t.services.demo.ensureCreated())!;
      const owner = await setupOwner(t);
      const before = await demoIdentity(t, 'grace');
      const rotated = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${demo.workspaceId}/widgets/${demo.widgetId}/secrets/rotate`,
        cookie: owner.cookie,
        payload: { graceSeconds: 0 },
      });
      expect(rotated.status).toBe(201);
      const after = await demoIdentity(t, 'grace');
      expect(after.signature).toBe(sign('demo-grace', rotated.body.secret));
      expect(after.signature).not.toBe(before.signature);
      const session = await startSession(t, demo.widgetId);
      expect((await identify(t, demo.widgetId, session.token, after)).body.state).toBe('verified');

      const stranger = await call(t.app, { method: 'GET', url: '/demo/login?user=constructor' });
      expect(stranger.headers.location).toBe('/demo/?signed_out=1');
      const cookie = String(stranger.headers['set-cookie']).split(';')[0]!;
      expect((await call(t.app, { method: 'GET', url: '/demo/api/lumio-identity', cookie })).body).toEqual({ userId: null });
      expect((await call(t.app, { method: 'GET', url: '/demo/elsewhere' })).status).toBe(404);
      expect((await call(t.app, { method: 'GET', url: '/demonstration' })).status).toBe(404);
    });

    it('is off with demo mode off: no /demo route at all', async () => {
      t = await createTestApp(dialect, { config: { demo: false } });
      const res = await call(t.app, { method: 'GET', url: '/demo' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect(t.routes.some((r) => r.url.startsWith('/demo'))).toBe(false);
    });
  });
}
