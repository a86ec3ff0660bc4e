import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createApiKey, createWidget, setupOwner, type Session } from '../test-support/api-helpers.js';
import { needsOriginCheck } from './origin-check.js';

const EVIL = { origin: 'https://evil.example' };
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Spellings of one path that a router may match the same way, or not at all:
// a rule keyed on the raw URL (`startsWith('/api/')`) misses each of them.
const spellings = (path: string): string[] => [
  path,
  path.replace(/^\/a/, '/%61'),
  path.replace(/^\/api/, '/%61%70%69'),
  path.replace(/\/v1\//, '/%76%31/'),
  `/${path}`,
  path.replace('/v1/', '//v1/'),
  path.replace(/^\/api/, '/API'),
  path.replace(/^\/api/, '/Api').replace('/v1/', '/V1/'),
];

for (const dialect of DIALECTS) {
  describe(`CSRF: the Origin check follows the matched route [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let ids: Record<string, string>;

    beforeAll(async () => {
      t = await createTestApp(dialect, { env: { LUMIO_DEMO: '1' } });
      owner = await setupOwner(t, 'csrf-owner@example.com');
      const widget = await createWidget(t, owner);
      ids = { workspaceId: owner.workspaceId, widgetId: widget.widgetId, accountId: owner.accountId };
    });
    afterAll(async () => t?.close());

    // Every parameter gets a real id where one exists, so the route would act on it if the check let it through.
    const concrete = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => ids[name] ?? `x_${name}`).replace('*', 'x');

    it('refuses every cookie-reachable state-changing route, however its path is spelled, from a foreign Origin', async () => {
      const guarded = t.routes.filter((route) => STATE_CHANGING.has(route.method) && needsOriginCheck(route.method, route.lumio));
      // The guarded set holds the whole dashboard API (the cookie's reach): if one drops out, a scope was exempted by mistake.
      const dashboardApi = t.routes.filter((route) => STATE_CHANGING.has(route.method) && route.url.startsWith('/api/'));
      expect(guarded).toEqual(expect.arrayContaining(dashboardApi));
      expect(dashboardApi.length).toBeGreaterThan(40);
      const letThrough: string[] = [];
      for (const route of guarded) {
        for (const url of spellings(concrete(route.url))) {
          const response = await call(t.app, { method: route.method as 'POST', url, cookie: owner.cookie, headers: EVIL, payload: {} });
          if (response.status !== 403 || response.body?.error?.code !== 'origin_not_allowed')
            letThrough.push(`${route.method} ${url} → ${response.status} ${response.body?.error?.code ?? ''}`);
        }
      }
      expect(letThrough).toEqual([]);
    });

    it('exempts only bearer-authenticated scopes, and every route declares its scope', async () => {
      const exempt = t.routes.filter((route) => STATE_CHANGING.has(route.method) && !needsOriginCheck(route.method, route.lumio));
      expect(new Set(exempt.map((route) => route.lumio?.scope))).toEqual(new Set(['widget', 'api-key']));
      const undeclared = t.routes.filter((route) => STATE_CHANGING.has(route.method) && !route.lumio);
      expect(undeclared).toEqual([]);
    });

    it('creates no API key and rotates no secret through an encoded path from a foreign Origin', async () => {
      const before = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${ids.workspaceId}/api-keys`, cookie: owner.cookie });
      const secretsBefore = await t.services.secrets.list(ids.workspaceId!, ids.widgetId!);
      for (const url of [
        `/%61pi/v1/workspaces/${ids.workspaceId}/api-keys`,
        `/%61pi/v1/workspaces/${ids.workspaceId}/widgets/${ids.widgetId}/secrets/rotate`,
      ]) {
        const response = await call(t.app, {
          method: 'POST',
          url,
          cookie: owner.cookie,
          headers: EVIL,
          payload: { name: 'x', graceSeconds: 0 },
        });
        expect(response.status).toBe(403);
      }
      const after = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${ids.workspaceId}/api-keys`, cookie: owner.cookie });
      expect(after.body).toEqual(before.body);
      expect(await t.services.secrets.list(ids.workspaceId!, ids.widgetId!)).toEqual(secretsBefore);
      // The same request from the dashboard's own origin goes through: the refusal above was the Origin's doing.
      await createApiKey(t, owner);
      const created = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${ids.workspaceId}/api-keys`, cookie: owner.cookie });
      expect(created.body.apiKeys.length).toBe(before.body.apiKeys.length + 1);
    });

    it('lets same-origin requests and header-less scripts through', async () => {
      const path = `/%61pi/v1/workspaces/${ids.workspaceId}/segments`;
      const same = await call(t.app, {
        method: 'POST',
        url: path,
        cookie: owner.cookie,
        headers: { origin: 'http://localhost:80' },
        payload: { name: 'mine', condition: {} },
      });
      expect(same.body?.error?.code).not.toBe('origin_not_allowed');
      const script = await call(t.app, { method: 'POST', url: path, cookie: owner.cookie, payload: { name: 'script', condition: {} } });
      expect(script.status).toBe(201);
    });
  });
}
