import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createApiKey, createWidget, setupOwner, startSession, type Session } from '../test-support/api-helpers.js';

// The 11 entry points where a NUL answered 500 on PostgreSQL and 200 on
// SQLite (issue 15): each now answers 400 invalid_string naming the field, on
// both databases. `bad` is the text to put in: NUL, or a lone surrogate.
interface EntryPoint {
  name: string;
  field: string;
  request(bad: string): { method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; payload?: object; cookie?: string; bearer?: string };
}

for (const dialect of DIALECTS) {
  describe(`unsafe text is refused at every entry point (${dialect})`, () => {
    let t: TestApp;
    let owner: Session;
    let widgetId: string;
    let token: string;
    let apiKey: string;
    const entryPoints: EntryPoint[] = [
      {
        name: 'sign-in email',
        field: 'email',
        request: (bad) => ({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: `a${bad}@example.com`, password: 'x'.repeat(12) },
        }),
      },
      {
        name: 'identify userId',
        field: 'userId',
        request: (bad) => ({ method: 'POST', url: `/widget/v1/${widgetId}/identify`, bearer: token, payload: { userId: `u${bad}1` } }),
      },
      {
        name: 'identify traits name',
        field: 'traits.name',
        request: (bad) => ({
          method: 'POST',
          url: `/widget/v1/${widgetId}/identify`,
          bearer: token,
          payload: { userId: 'u1', traits: { name: `Ada${bad}` } },
        }),
      },
      {
        name: 'identify property value',
        field: 'properties.plan',
        request: (bad) => ({
          method: 'POST',
          url: `/widget/v1/${widgetId}/identify`,
          bearer: token,
          payload: { userId: 'u1', properties: { plan: `pro${bad}` } },
        }),
      },
      {
        name: 'event props',
        field: 'events.0.props.label',
        request: (bad) => ({
          method: 'POST',
          url: `/widget/v1/${widgetId}/events`,
          bearer: token,
          payload: { events: [{ id: 'evt_0000000001', name: 'clicked', at: t.clock.now(), props: { label: `x${bad}` } }] },
        }),
      },
      {
        name: 'widget name',
        field: 'name',
        request: (bad) => ({
          method: 'POST',
          url: `/api/v1/workspaces/${owner.workspaceId}/widgets`,
          cookie: owner.cookie,
          payload: { name: `W${bad}` },
        }),
      },
      {
        name: 'account name',
        field: 'name',
        request: (bad) => ({ method: 'PATCH', url: '/api/v1/auth/me', cookie: owner.cookie, payload: { name: `Ada${bad}` } }),
      },
      {
        name: 'help article id in a widget path',
        field: 'params.articleId',
        request: (bad) => ({ method: 'GET', url: `/widget/v1/${widgetId}/help/articles/${encodeURIComponent(`a${bad}`)}`, bearer: token }),
      },
      {
        name: 'server API userId in the path',
        field: 'params.userId',
        request: (bad) => ({ method: 'GET', url: `/server/v1/users/${encodeURIComponent(`u${bad}`)}`, bearer: apiKey }),
      },
      {
        name: 'server API property key',
        field: `properties.k${'\\u0000'}`,
        request: (bad) => ({ method: 'PUT', url: '/server/v1/users/u1', bearer: apiKey, payload: { properties: { [`k${bad}`]: 1 } } }),
      },
      {
        name: 'dashboard user search query string',
        field: 'query.query',
        request: (bad) => ({
          method: 'GET',
          url: `/api/v1/workspaces/${owner.workspaceId}/users?query=${encodeURIComponent(`a${bad}`)}`,
          cookie: owner.cookie,
        }),
      },
    ];

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widgetId = (await createWidget(t, owner)).widgetId;
      token = (await startSession(t, widgetId)).token;
      apiKey = await createApiKey(t, owner);
    });
    afterAll(async () => {
      await t.close();
    });

    it.each(entryPoints.map((e) => [e.name, e] as const))('%s: NUL → 400 invalid_string naming the field', async (_name, entry) => {
      const res = await call(t.app, entry.request('\u0000'));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_string');
      expect(res.body.error.details).toEqual({ field: entry.field });
      expect(res.body.error.message).toContain('NUL');
      expect(res.body.error.message).toContain(entry.field);
    });

    it('refuses a lone surrogate alike, in a body and in a path', async () => {
      for (const entry of [entryPoints[1]!, entryPoints[3]!]) {
        const res = await call(t.app, entry.request('\ud800'));
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_string', details: { field: entry.field } });
        expect(res.body.error.message).toContain('unpaired surrogate');
      }
    });

    it('lets the same requests through without the bad character (the refusal is the character, not the request)', async () => {
      for (const entry of entryPoints) {
        const res = await call(t.app, entry.request(''));
        expect(res.status, `${entry.name}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
        expect(res.body?.error?.code, entry.name).not.toBe('invalid_string');
      }
      // A surrogate pair (an emoji) is valid text and is stored.
      const emoji = await call(t.app, entryPoints[3]!.request('\ud83d\ude00'));
      expect(emoji.status).toBe(200);
    });

    it('nothing was stored from the refused requests', async () => {
      const res = await call(t.app, { method: 'GET', url: '/server/v1/users', bearer: apiKey });
      expect(JSON.stringify(res.body)).not.toContain('\\u0000');
    });
  });
}
