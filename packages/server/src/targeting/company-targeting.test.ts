import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValueSource } from '@lumio/protocol';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createWidget, identify, setupOwner, sign, startSession, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { CompaniesStore } from '../companies/companies-store.js';

// company.<key> through the product: announcements delivered to a session,
// audience counts, segments. Companies and memberships are written with the
// companies store (as identify and the server API do).
for (const dialect of DIALECTS) {
  describe(`company.<key> in audiences and segments [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; secret: string };
    let companies: CompaniesStore;

    const api = (method: string, path: string, payload?: unknown) => workspaceApi(t, owner)(method, path, payload);

    /** A widget session of a user, verified (signed) or identified (unsigned); the user is created by identify. */
    const sessionOf = async (userId: string, state: 'verified' | 'identified') => {
      const session = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, session.token, {
        userId,
        ...(state === 'verified' ? { signature: sign(userId, widget.secret) } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.token as string;
    };

    const company = (id: string, properties: Record<string, string | number>, source: ValueSource = 'trusted') =>
      t.adapter.db
        .transaction()
        .execute((trx) => companies.upsert(trx, owner.workspaceId, { id, name: id.toUpperCase(), properties }, source, t.clock.now()));
    const join = (userId: string, companyId: string, source: ValueSource) =>
      t.adapter.db.transaction().execute((trx) => companies.join(trx, owner.workspaceId, userId, companyId, source, t.clock.now()));

    const feed = async (token: string) => {
      const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/announcements`, bearer: token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.announcements as Array<{ id: string }>).map((a) => a.id);
    };
    const announce = async (title: string, audience: Record<string, unknown>) => {
      const res = await api('POST', '/announcements', { kind: 'popup', title, body: 'Hi', status: 'live', audience });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };

    let member: string;
    let outsider: string;
    let claimant: string;
    let claimedMember: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      companies = new CompaniesStore({ adapter: t.adapter });
      await company('acme', { plan: 'enterprise', seats: 250 });
      await company('tiny', { plan: 'free', seats: 3 });
      // A company whose plan only a browser claimed.
      await company('claimy', { plan: 'enterprise' }, 'claimed');
      member = await sessionOf('ada', 'verified');
      outsider = await sessionOf('bob', 'verified');
      await sessionOf('cy', 'verified');
      claimedMember = await sessionOf('dee', 'verified');
      await join('ada', 'acme', 'trusted');
      await join('ada', 'tiny', 'trusted');
      await join('bob', 'tiny', 'trusted');
      await join('dee', 'acme', 'claimed');
      await join('dee', 'claimy', 'trusted');
      // Someone without a signature claims Cy's id and joins them to Acme: an unverified claim.
      claimant = await sessionOf('cy', 'identified');
      await join('cy', 'acme', 'unverified');
    });
    afterAll(async () => t?.close());

    it('delivers an announcement targeted at company.plan to a member and not to a non-member', async () => {
      const id = await announce('Enterprise news', { condition: { 'company.plan': 'enterprise' } });
      expect(await feed(member)).toContain(id);
      expect(await feed(outsider)).not.toContain(id);
      // An unverified session is targeted on what unverified sessions wrote: its claimed membership
      // counts, Acme's plan (set by the server) does not, so a claim never reads a company's trusted data.
      expect(await feed(claimant)).not.toContain(id);
      const byId = await announce('Acme people', { condition: { 'company.id': 'acme' } });
      expect(await feed(claimant)).toContain(byId);
      expect(await feed(outsider)).not.toContain(byId);
      const count = await api('GET', `/announcements/${id}/audience`);
      expect(count.body.count).toBe(3);
      expect(count.body.sample.map((u: { userId: string }) => u.userId).sort()).toEqual(['ada', 'cy', 'dee']);
    });

    it('counts only trusted memberships and trusted company values in a trusted-only audience', async () => {
      const id = await announce('Trusted enterprise', { condition: { 'company.plan': 'enterprise' }, properties: 'trusted' });
      expect(await feed(member)).toContain(id);
      // Dee's Acme membership is a claim, and Claimy's plan came from a browser.
      expect(await feed(claimedMember)).not.toContain(id);
      expect(await feed(claimant)).not.toContain(id);
      const count = await api('GET', `/announcements/${id}/audience`);
      expect(count.body.sample.map((u: { userId: string }) => u.userId)).toEqual(['ada']);
    });

    it('matches users without companies only through a top-level $not', async () => {
      const noEnterprise = await announce('Not enterprise', { condition: { $not: { 'company.plan': 'enterprise' } } });
      const planMissing = await announce('Plan missing', { condition: { 'company.plan': { $exists: false } } });
      const loner = await sessionOf('eve', 'verified');
      expect(await feed(loner)).toContain(noEnterprise);
      expect(await feed(loner)).not.toContain(planMissing);
      expect(await feed(outsider)).toContain(noEnterprise);
      expect(await feed(member)).not.toContain(noEnterprise);
    });

    it('counts segments on company values, and previews them on trusted values only', async () => {
      const big = await api('POST', '/segments', { name: 'Big accounts', condition: { 'company.seats': { $gte: 100 } } });
      expect(big.status, JSON.stringify(big.body)).toBe(201);
      const all = await api('GET', `/segments/${big.body.id}/audience`);
      expect(all.body.sample.map((u: { userId: string }) => u.userId).sort()).toEqual(['ada', 'cy', 'dee']);
      const trusted = await api('GET', `/segments/${big.body.id}/audience?properties=trusted`);
      expect(trusted.body.sample.map((u: { userId: string }) => u.userId)).toEqual(['ada']);
      const preview = await api('POST', '/segments/preview', { condition: { 'company.id': 'tiny' } });
      expect(preview.body.count).toBe(2);
      // An announcement on the segment reaches its members the same way.
      const id = await announce('Big', { segmentId: big.body.id });
      expect(await feed(member)).toContain(id);
      expect(await feed(outsider)).not.toContain(id);
    });

    it('shows a help-center article with a company audience to members only, in lists and search', async () => {
      const res = await api('POST', '/help/articles', {
        title: 'Enterprise single sign-on',
        body: 'Set up SSO.',
        status: 'published',
        audience: { condition: { 'company.plan': 'enterprise' } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const titles = async (token: string, path: string) => {
        const answer = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/help/${path}`, bearer: token });
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        return (answer.body.articles as Array<{ title: string }>).map((a) => a.title);
      };
      expect(await titles(member, 'articles')).toContain('Enterprise single sign-on');
      expect(await titles(outsider, 'articles')).not.toContain('Enterprise single sign-on');
      expect(await titles(member, 'articles?query=sso')).toContain('Enterprise single sign-on');
      expect(await titles(outsider, 'articles?query=sso')).not.toContain('Enterprise single sign-on');
    });

    it('refuses a bad company path with its location', async () => {
      const res = await api('POST', '/segments/preview', { condition: { $or: [{ 'company.': 'x' }] } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_condition');
      expect(res.body.error.details.issues[0].path).toBe('$or[0].company.');
    });
  });
}
