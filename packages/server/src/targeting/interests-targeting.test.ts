import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createWidget, identify, setupOwner, sign, startSession, workspaceApi, type Session } from '../test-support/api-helpers.js';

const DAY = 86_400_000;

// `interests.<topic>` where conditions run: announcements (JavaScript, the
// session's own trust partition), segment previews and user search (SQL, the
// verified partition). Interest rows are written straight into interest_scores.
for (const dialect of DIALECTS) {
  describe(`interests.<topic> in audiences [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; secret: string };
    const api = (method: string, path: string, payload?: unknown) => workspaceApi(t, owner)(method, path, payload);

    const interest = (viewer: string, topic: string, score: number, age = 0) =>
      t.adapter.db
        .insertInto('interest_scores')
        .values({ workspace_id: owner.workspaceId, viewer, topic, score, updated_at: t.clock.now() - age })
        .execute();

    const sessionOf = async (userId: string | null, state: 'verified' | 'identified' | 'anonymous', anonymousId?: string) => {
      const session = await startSession(t, widget.widgetId, anonymousId);
      if (state === 'anonymous' || userId === null) return session.token;
      const res = await identify(t, widget.widgetId, session.token, {
        userId,
        ...(state === 'verified' ? { signature: sign(userId, widget.secret) } : {}),
      });
      expect(res.body.state).toBe(state);
      return res.body.token as string;
    };
    const delivered = async (token: string) => {
      const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/announcements`, bearer: token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.announcements as Array<{ title: string }>).map((a) => a.title).sort();
    };
    const announce = async (title: string, audience: Record<string, unknown>) => {
      const res = await api('POST', '/announcements', { kind: 'post', title, body: 'Hi', status: 'live', audience });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      // A short half-life, so a row 10 days old counts half: the workspace's own setting must be the one used.
      await t.adapter.db.updateTable('workspaces').set({ interest_half_life_days: 10 }).where('id', '=', owner.workspaceId).execute();
      // ada (verified): billing 4 points 10 days ago → decayed 2 → level 1 − 2^(−½) ≈ 0.293. api: 8 points now → 0.75.
      await interest('v:ada', 'billing', 4, 10 * DAY);
      await interest('v:ada', 'api', 8);
      // An unverified claimant of ada's id has its own, stronger billing interest; it must never count as ada's.
      await interest('i:ada', 'billing', 40);
      await interest('a:anon_reader', 'billing', 40);
      // Another workspace's profile under the same key is never read.
      await t.adapter.db.insertInto('workspaces').values({ id: 'ws_elsewhere', name: 'Elsewhere', created_at: 0 }).execute();
      await t.adapter.db
        .insertInto('interest_scores')
        .values({ workspace_id: 'ws_elsewhere', viewer: 'v:bob', topic: 'billing', score: 400, updated_at: t.clock.now() })
        .execute();
      await announce('billing fans', { condition: { 'interests.billing': { $gte: 0.25 } } });
      await announce('strong billing', { condition: { 'interests.billing': { $gte: 0.3 } } });
      await announce('no billing', { condition: { 'interests.billing': { $lt: 0.2 } } });
      await announce('billing, trusted only', { condition: { 'interests.billing': { $gte: 0.9 } }, properties: 'trusted' });
    });
    afterAll(async () => t?.close());

    it('targets announcements on the session’s own partition: verified, unverified claimant and anonymous apart', async () => {
      // ada verified: her v: level 0.293 (half-life 10 days), not the claimant's 40 points.
      expect(await delivered(await sessionOf('ada', 'verified'))).toEqual(['billing fans']);
      // The claimant of ada's id: its own i: level (≈1) in an audience of all values, never in a trusted-only one.
      expect(await delivered(await sessionOf('ada', 'identified'))).toEqual(['billing fans', 'strong billing']);
      expect(await delivered(await sessionOf(null, 'anonymous', 'anon_reader'))).toEqual(['billing fans', 'strong billing']);
      // No billing activity at all: level 0, so "less than 0.2" matches (bob's other-workspace profile is not his here).
      expect(await delivered(await sessionOf('bob', 'verified'))).toEqual(['no billing']);
      expect(await delivered(await sessionOf(null, 'anonymous'))).toEqual(['no billing']);
    });

    it('a verified session’s interests count in a trusted-only audience', async () => {
      await interest('v:cleo', 'billing', 400);
      expect(await delivered(await sessionOf('cleo', 'verified'))).toEqual(['billing fans', 'billing, trusted only', 'strong billing']);
    });

    it('counts segment audiences and searches users in SQL on the verified partition, with the workspace half-life', async () => {
      for (const userId of ['ada', 'bob', 'cleo']) await sessionOf(userId, 'verified');
      await sessionOf('dan', 'identified');
      await interest('i:dan', 'billing', 400);
      const preview = async (condition: unknown) => {
        const res = await api('POST', '/segments/preview', { condition });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return (res.body.sample as Array<{ userId: string }>).map((u) => u.userId).sort();
      };
      expect(await preview({ 'interests.billing': { $gte: 0.25 } })).toEqual(['ada', 'cleo']);
      expect(await preview({ 'interests.billing': { $gte: 0.3 } })).toEqual(['cleo']);
      expect(await preview({ 'interests.billing': { $lt: 0.2 } })).toEqual(['bob', 'dan']);
      expect(await preview({ 'interests.api': 0.75 })).toEqual(['ada']);

      const segment = await api('POST', '/segments', { name: 'API readers', condition: { 'interests.api': { $gt: 0.5 } } });
      expect(segment.status, JSON.stringify(segment.body)).toBe(201);
      const search = await api('POST', '/users/search', { condition: { $segment: segment.body.id } });
      expect(search.status, JSON.stringify(search.body)).toBe(200);
      expect((search.body.users as Array<{ userId: string }>).map((u) => u.userId)).toEqual(['ada']);
    });

    it('filters help articles whose audience reads interests, on the session’s partition', async () => {
      const collection = await api('POST', '/help/collections', { name: 'Guides' });
      expect(collection.status, JSON.stringify(collection.body)).toBe(201);
      for (const [title, audience] of [
        ['For everyone', undefined],
        ['Billing deep dive', { condition: { 'interests.billing': { $gte: 0.3 } } }],
      ] as const) {
        const res = await api('POST', '/help/articles', {
          title,
          body: 'x',
          status: 'published',
          collectionId: collection.body.id,
          audience,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
      const titles = async (token: string) => {
        const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/help/articles`, bearer: token });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return (res.body.articles as Array<{ title: string }>).map((a) => a.title).sort();
      };
      expect(await titles(await sessionOf('ada', 'verified'))).toEqual(['For everyone']);
      expect(await titles(await sessionOf('ada', 'identified'))).toEqual(['Billing deep dive', 'For everyone']);
      expect(await titles(await sessionOf('cleo', 'verified'))).toEqual(['Billing deep dive', 'For everyone']);
    });

    it('refuses a topic that is not a topic key, with invalid_topic and the path', async () => {
      const res = await api('POST', '/segments/preview', { condition: { $or: [{ 'interests.Billing!': { $gte: 0.5 } }] } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_condition');
      expect(res.body.error.details.issues[0]).toMatchObject({ path: '$or[0].interests.Billing!', code: 'invalid_topic' });
      const bare = await api('POST', '/announcements', {
        kind: 'post',
        title: 'x',
        body: 'x',
        audience: { condition: { interests: 'x' } },
      });
      expect(bare.status).toBe(400);
      expect(bare.body.error.details.issues[0]).toMatchObject({ path: 'interests', code: 'invalid_topic' });
    });
  });
}
