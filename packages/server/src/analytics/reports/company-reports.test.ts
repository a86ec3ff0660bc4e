import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValueSource } from '@lumio/protocol';
import { DIALECTS, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { call, setupOwner, type Session } from '../../test-support/api-helpers.js';
import { D1, D2, D3, D4, seedReportFixture } from '../../test-support/analytics-fixture.js';
import { CompaniesStore } from '../../companies/companies-store.js';
import type { SeriesReport } from './series-report.js';

const OPENED = { from: D1, to: D4, event: '$widget_opened', interval: 'day' } as const;
const lines = (report: SeriesReport) => report.series.map(({ key, counts, uniques, companies }) => ({ key, counts, uniques, companies }));

// $widget_opened in the fixture, per day D1, D2, D3: alice 3/1/0, bob 1/0/1, carol 0/2/0, dave 0/2/1, erin 0/0/1,
// anonymous 1/2/0. Companies (read now, through memberships): Acme (plan enterprise, trusted) has alice (trusted)
// and bob (unverified); Globex (plan free, claimed by a browser) has alice (trusted) and carol (claimed); Initech
// (no plan) has dave (trusted); erin has none.
for (const dialect of DIALECTS) {
  describe(`analytics by company [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    const reports = () => t.services.reports;
    const ws = () => owner.workspaceId;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      await seedReportFixture(t, owner);
      const store = new CompaniesStore({ adapter: t.adapter });
      const now = t.clock.now();
      await t.adapter.db.transaction().execute(async (trx) => {
        const company = (id: string, properties: Record<string, string>, source: ValueSource) =>
          store.upsert(trx, ws(), { id, name: id.toUpperCase(), properties }, source, now);
        await company('acme', { plan: 'enterprise' }, 'trusted');
        await company('globex', { plan: 'free' }, 'claimed');
        await company('initech', {}, 'trusted');
        const join = (userId: string, companyId: string, source: ValueSource) => store.join(trx, ws(), userId, companyId, source, now);
        await join('alice', 'acme', 'trusted');
        await join('bob', 'acme', 'unverified');
        await join('alice', 'globex', 'trusted');
        await join('carol', 'globex', 'claimed');
        await join('dave', 'initech', 'trusted');
      });
    });
    afterAll(async () => t?.close());

    it('counts distinct companies per bucket and over the range, trusted memberships only when asked', async () => {
      const report = await reports().series(ws(), { ...OPENED, count: 'companies' });
      expect(lines(report)).toEqual([{ key: null, counts: [5, 7, 3], uniques: [3, 5, 3], companies: [2, 3, 2] }]);
      expect(report.totals).toEqual({ count: 15, uniques: 7, companies: 3 });
      const trusted = await reports().series(ws(), { ...OPENED, count: 'companies', properties: 'trusted' });
      expect(trusted.series[0]!.companies).toEqual([2, 3, 1]);
      // Without the option the answer is as before.
      const plain = await reports().series(ws(), OPENED);
      expect(plain.series[0]).not.toHaveProperty('companies');
      expect(plain.totals).toEqual({ count: 15, uniques: 7 });
    });

    it('breaks down by a company property: each person under every value of their companies', async () => {
      const report = await reports().series(ws(), { ...OPENED, breakdown: 'company.plan', count: 'companies' });
      expect(lines(report)).toEqual([
        { key: 'enterprise', counts: [4, 1, 1], uniques: [2, 1, 1], companies: [1, 1, 1] },
        { key: 'free', counts: [3, 3, 0], uniques: [1, 2, 0], companies: [1, 1, 0] },
        { key: '$none', counts: [1, 4, 2], uniques: [1, 3, 2], companies: [0, 1, 1] },
      ]);
      // Alice counts in two lines, once in the totals.
      expect(report.totals).toEqual({ count: 15, uniques: 7, companies: 3 });
      // Trusted values only: Globex's plan came from a browser, Bob's and Carol's memberships are claims.
      const trusted = await reports().series(ws(), { ...OPENED, breakdown: 'company.plan', properties: 'trusted' });
      expect(lines(trusted)).toEqual([
        { key: 'enterprise', counts: [3, 1, 0], uniques: [1, 1, 0], companies: undefined },
        { key: '$none', counts: [2, 6, 3], uniques: [2, 4, 3], companies: undefined },
      ]);
      const byId = await reports().series(ws(), { ...OPENED, breakdown: 'company.id', limit: 1 });
      expect(lines(byId).map((l) => [l.key, l.counts])).toEqual([
        ['acme', [4, 1, 1]],
        ['$other', [3, 5, 1]],
        ['$none', [1, 2, 1]],
      ]);
    });

    it('filters on company.<key>, on snapshots and on current profiles', async () => {
      for (const on of ['snapshot', 'current'] as const) {
        const report = await reports().series(ws(), { ...OPENED, on, condition: { 'company.plan': 'enterprise' } });
        expect(lines(report)).toEqual([{ key: null, counts: [4, 1, 1], uniques: [2, 1, 1], companies: undefined }]);
        const none = await reports().series(ws(), { ...OPENED, on, condition: { $not: { 'company.id': { $exists: true } } } });
        // Erin only: Dave is in Initech, and anonymous browsers have no profile for a condition to match.
        expect(none.series[0]!.counts).toEqual([0, 0, 1]);
      }
    });

    it('takes company breakdowns and the companies count through the API, and refuses bad ones', async () => {
      const post = (payload: Record<string, unknown>) =>
        call(t.app, { method: 'POST', url: `/api/v1/workspaces/${ws()}/analytics/reports/series`, cookie: owner.cookie, payload });
      const ok = await post({ ...OPENED, breakdown: 'company.plan', count: 'companies' });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.totals.companies).toBe(3);
      for (const breakdown of ['company.', 'company.plan.x', 'company.a"b']) {
        const bad = await post({ ...OPENED, breakdown });
        expect(bad.status).toBe(400);
        expect(bad.body.error.details.field).toBe('breakdown');
      }
      expect((await post({ ...OPENED, count: 'accounts' })).status).toBe(400);
      const csv = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${ws()}/analytics/reports/series?format=csv`,
        cookie: owner.cookie,
        payload: { ...OPENED, breakdown: 'company.plan', count: 'companies' },
      });
      expect(csv.status).toBe(200);
      const [header, first] = csv.body.split('\r\n');
      expect(header).toBe('bucket,company.plan,count,uniques,companies');
      expect(first).toBe('2026-11-15T00:00:00.000Z,enterprise,4,2,1');
    });
  });
}
