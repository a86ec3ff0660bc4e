import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';
import { PEERS_MIN_PEOPLE, RELEVANCE_WEIGHTS } from './relevance-model.js';

for (const dialect of DIALECTS) {
  describe(`help relevance [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: Awaited<ReturnType<typeof createWidget>>;
    const ids: Record<string, string> = {};
    const collections: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      const api = workspaceApi(t, owner);
      for (const [name, position] of [
        ['Account', 0],
        ['Billing', 1],
        ['Guides', 2],
      ] as const) {
        const res = await api('POST', '/help/collections', { name, position });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        collections[name] = res.body.id;
      }
      // Bodies of the same length with the query word once each: text alone cannot tell them apart.
      const articles: Array<[string, string, string, number, object | null]> = [
        ['data', 'Your data', 'Guides', 0, null],
        ['invoices', 'Invoices and receipts', 'Billing', 1, null],
        ['pro', 'Pro reports', 'Guides', 2, { condition: { plan: 'pro' } }],
        ['seats', 'Team seats', 'Account', 3, null],
        ['shortcuts', 'Keyboard shortcuts', 'Guides', 4, null],
      ];
      for (const [key, title, collection, position, audience] of articles) {
        const res = await api('POST', '/help/articles', {
          title,
          body: `export ${key} as csv file`,
          collectionId: collections[collection],
          position,
          status: 'published',
          ...(audience ? { audience } : {}),
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        ids[key] = res.body.id;
      }
    });
    afterAll(async () => t?.close());

    const session = async (userId: string | null, properties: Record<string, unknown> = {}) => {
      const s = await startSession(t, widget.widgetId);
      if (userId === null) return s.token;
      const res = await identify(t, widget.widgetId, s.token, { userId, signature: sign(userId, widget.secret), properties });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.token as string;
    };
    const get = async (token: string, path: string) => {
      const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/help/${path}`, bearer: token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const keys = (articles: Array<{ id: string }>) => articles.map((a) => Object.keys(ids).find((k) => ids[k] === a.id));
    const search = async (token: string, query: string) => keys((await get(token, `articles?query=${query}`)).articles);
    const list = async (token: string, collection?: string) =>
      keys((await get(token, `articles${collection ? `?collection=${collections[collection]}` : ''}`)).articles);
    const setInterest = (viewer: string, topic: string, score: number) =>
      t.deps.db
        .insertInto('interest_scores')
        .values({ workspace_id: owner.workspaceId, viewer, topic, score, updated_at: t.clock.now(), views: 1 })
        .execute();
    const setPersonalised = (on: boolean) =>
      t.deps.db
        .updateTable('workspaces')
        .set({ personalised_help: on ? 1 : 0 })
        .where('id', '=', owner.workspaceId)
        .execute();

    it('ranks an article written for the reader’s plan above generic ones, in search and lists', async () => {
      const pro = await session('pro-user', { plan: 'pro' });
      const free = await session('free-user', { plan: 'free' });
      expect(await search(free, 'export')).toEqual(['data', 'invoices', 'seats', 'shortcuts']);
      expect(await search(pro, 'export')).toEqual(['pro', 'data', 'invoices', 'seats', 'shortcuts']);
      expect(await list(pro, 'Guides')).toEqual(['pro', 'data', 'shortcuts']);
      expect(await list(free, 'Guides')).toEqual(['data', 'shortcuts']);
    });

    it('lifts articles of topics the viewer is interested in (their own partition only)', async () => {
      const ann = await session('ann');
      expect(await search(ann, 'export')).toEqual(['data', 'invoices', 'seats', 'shortcuts']);
      await setInterest('v:ann', 'billing', 20);
      expect(await search(ann, 'export')).toEqual(['invoices', 'data', 'seats', 'shortcuts']);
      expect(await list(ann)).toEqual(['invoices', 'data', 'seats', 'shortcuts']);
      // An unverified claimant of ann's id does not get her interests.
      const s = await startSession(t, widget.widgetId);
      const claimant = (await identify(t, widget.widgetId, s.token, { userId: 'ann' })).body.token as string;
      expect(await search(claimant, 'export')).toEqual(['data', 'invoices', 'seats', 'shortcuts']);
      // A strong interest never reveals an article the viewer may not read.
      await setInterest('v:ann', 'guides', 50);
      expect(await search(ann, 'export')).not.toContain('pro');
      expect(await list(ann, 'Guides')).toEqual(['data', 'shortcuts']);
    });

    it(`uses what people with the same trait found helpful only once ${PEERS_MIN_PEOPLE} of them did`, async () => {
      const carl = await session('carl', { role: 'designer' });
      const vote = async (userId: string) => {
        const token = await session(userId, { role: 'designer' });
        const res = await call(t.app, {
          method: 'POST',
          url: `/widget/v1/${widget.widgetId}/help/articles/${ids.shortcuts}/feedback`,
          bearer: token,
          payload: { helpful: true },
        });
        expect(res.status).toBe(200);
      };
      for (let i = 1; i < PEERS_MIN_PEOPLE; i++) await vote(`designer-${i}`);
      // Unverified votes never count, however many.
      for (let i = 0; i < PEERS_MIN_PEOPLE; i++) {
        const s = await startSession(t, widget.widgetId);
        const token = (await identify(t, widget.widgetId, s.token, { userId: `claim-${i}`, properties: { role: 'designer' } })).body.token;
        await call(t.app, {
          method: 'POST',
          url: `/widget/v1/${widget.widgetId}/help/articles/${ids.shortcuts}/feedback`,
          bearer: token,
          payload: { helpful: true },
        });
      }
      await t.services.peerSignals.runOnce();
      expect(await list(carl, 'Guides')).toEqual(['data', 'shortcuts']);
      const stored = await t.deps.db.selectFrom('peer_helpful').selectAll().where('workspace_id', '=', owner.workspaceId).execute();
      expect(stored).toEqual([]);

      await vote(`designer-${PEERS_MIN_PEOPLE}`);
      await t.services.peerSignals.runOnce();
      expect(await list(carl, 'Guides')).toEqual(['shortcuts', 'data']);
      // Someone without the trait is not moved by it.
      expect(await list(await session('dora', { role: 'accountant' }), 'Guides')).toEqual(['data', 'shortcuts']);
      const rows = await t.deps.db.selectFrom('peer_helpful').selectAll().where('workspace_id', '=', owner.workspaceId).execute();
      expect(rows.every((r) => Number(r.people) >= PEERS_MIN_PEOPLE)).toBe(true);
      expect(rows.map((r) => [r.trait_key, r.trait_value, Number(r.people)]).sort()).toEqual([
        ['$all', '', PEERS_MIN_PEOPLE],
        ['role', 'designer', PEERS_MIN_PEOPLE],
      ]);

      // One of them erased: back under k at the next rebuild, and the signal is gone.
      const key = await createApiKey(t, owner);
      const erased = await call(t.app, { method: 'DELETE', url: '/server/v1/users/designer-1', bearer: key });
      expect(erased.status, JSON.stringify(erased.body)).toBe(200);
      await t.services.peerSignals.runOnce();
      expect(await list(carl, 'Guides')).toEqual(['data', 'shortcuts']);
      await vote('designer-extra');
      await t.services.peerSignals.runOnce();
    });

    it('orders collections by the viewer’s interest; a pinned collection keeps its place', async () => {
      const eve = await session('eve');
      const names = async () => ((await get(eve, 'collections')).collections as Array<{ name: string }>).map((c) => c.name);
      expect(await names()).toEqual(['Account', 'Billing', 'Guides']);
      await setInterest('v:eve', 'guides', 10);
      expect(await names()).toEqual(['Guides', 'Account', 'Billing']);
      await t.deps.db.updateTable('collections').set({ pinned: 1 }).where('id', '=', collections.Account!).execute();
      try {
        expect(await names()).toEqual(['Account', 'Guides', 'Billing']);
      } finally {
        await t.deps.db.updateTable('collections').set({ pinned: 0 }).where('id', '=', collections.Account!).execute();
      }
    });

    it('suggests articles for the viewer, leaving out what they saved; the most helpful for a stranger', async () => {
      const fay = await session('fay');
      await setInterest('v:fay', 'billing', 20);
      const suggested = async (token: string, limit?: number) =>
        keys((await get(token, `suggested${limit ? `?limit=${limit}` : ''}`)).articles);
      expect(await suggested(fay)).toEqual(['invoices', 'data', 'seats']);
      await call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/help/articles/${ids.invoices}/save`, bearer: fay });
      // Nothing personal left to go by: the articles most people found helpful lead.
      expect(await suggested(fay, 2)).toEqual(['shortcuts', 'data']);
      // Nothing known of an anonymous visitor: what most people found helpful (k or more), then the team's order.
      const stranger = await session(null);
      expect(await suggested(stranger, 10)).toEqual(['shortcuts', 'data', 'invoices', 'seats']);
      for (const bad of ['0', '11', 'x']) {
        const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/help/suggested?limit=${bad}`, bearer: fay });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });

    it('explains a rank for a chosen user, signal by signal', async () => {
      const api = workspaceApi(t, owner);
      await session('gil', { plan: 'pro' });
      await setInterest('v:gil', 'billing', 20);
      const res = await api('GET', `/help/articles/${ids.invoices}/relevance?userId=gil&query=export`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ articleId: ids.invoices, userId: 'gil', personalised: true, rank: 1, of: 5 });
      const signals = Object.fromEntries(res.body.signals.map((s: { signal: string }) => [s.signal, s]));
      expect(Object.keys(signals)).toEqual(['text', 'interest', 'audience', 'peers', 'team']);
      expect(signals.interest.value).toBeGreaterThan(0.9);
      expect(signals.interest.detail).toContain('billing');
      expect(signals.interest.weight).toBe(RELEVANCE_WEIGHTS.interest);
      expect(res.body.score).toBeCloseTo(
        res.body.signals.reduce((sum: number, s: { contribution: number }) => sum + s.contribution, 0),
        4,
      );
      // Without a query: its place in its collection's list.
      const pro = await api('GET', `/help/articles/${ids.pro}/relevance?userId=gil`);
      expect(pro.body).toMatchObject({ rank: 1, of: 3 });
      expect(pro.body.signals.find((s: { signal: string }) => s.signal === 'audience').value).toBeGreaterThan(0);
      // An article the user may not read ranks nowhere.
      await session('hal', { plan: 'free' });
      expect((await api('GET', `/help/articles/${ids.pro}/relevance?userId=hal`)).body).toMatchObject({ rank: null, of: 2 });
      // Unknown user, missing userId.
      expect((await api('GET', `/help/articles/${ids.pro}/relevance?userId=nobody`)).status).toBe(404);
      expect((await api('GET', `/help/articles/${ids.pro}/relevance`)).body.error.code).toBe('invalid_request');
    });

    it("refuses another workspace's article or user in the explain route", async () => {
      const other = await otherWorkspaceOwner(t);
      const otherApi = workspaceApi(t, other);
      const article = await otherApi('POST', '/help/articles', { title: 'Other', body: 'export', status: 'published' });
      const key = await createApiKey(t, other);
      await call(t.app, { method: 'PUT', url: '/server/v1/users/other-user', bearer: key, payload: { properties: { plan: 'pro' } } });
      const api = workspaceApi(t, owner);
      expect((await api('GET', `/help/articles/${article.body.id}/relevance?userId=gil`)).status).toBe(404);
      const res = await api('GET', `/help/articles/${ids.data}/relevance?userId=other-user`);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('pro');
      // The other workspace's member sees its own.
      expect((await otherApi('GET', `/help/articles/${article.body.id}/relevance?userId=other-user`)).status).toBe(200);
    });

    it('with personalisation off, ranks by text and the team’s order only', async () => {
      await setPersonalised(false);
      try {
        const ann = await session('ann');
        expect(await search(ann, 'export')).toEqual(['data', 'invoices', 'seats', 'shortcuts']);
        expect(await list(await session('pro-user', { plan: 'pro' }), 'Guides')).toEqual(['data', 'pro', 'shortcuts']);
        expect(await list(await session('carl', { role: 'designer' }), 'Guides')).toEqual(['data', 'shortcuts']);
        const eve = await session('eve');
        expect(((await get(eve, 'collections')).collections as Array<{ name: string }>).map((c) => c.name)).toEqual([
          'Account',
          'Billing',
          'Guides',
        ]);
        const explained = await workspaceApi(t, owner)('GET', `/help/articles/${ids.invoices}/relevance?userId=ann&query=export`);
        expect(explained.body.personalised).toBe(false);
        expect(explained.body.signals.map((s: { signal: string }) => s.signal)).toEqual(['text', 'team']);
      } finally {
        await setPersonalised(true);
      }
    });
  });
}
