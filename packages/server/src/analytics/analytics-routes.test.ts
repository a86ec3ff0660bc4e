import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { addMember, call, setupOwner, otherWorkspaceOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { D1, D2, D3, D4, DAY, HOUR, seedOtherWorkspace, seedReportFixture } from '../test-support/analytics-fixture.js';

const RANGE = { from: D1, to: D4 };
const SERIES = { ...RANGE, event: '$widget_opened', interval: 'day' };

for (const dialect of DIALECTS) {
  describe(`analytics API [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let admin: Session;
    let member: Session;
    let other: Session;
    let api: ReturnType<typeof workspaceApi>;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
      member = await addMember(t, owner, 'member@example.com', 'member');
      const fixture = await seedReportFixture(t, owner);
      other = await otherWorkspaceOwner(t);
      await seedOtherWorkspace(t, other.workspaceId, fixture);
      api = workspaceApi(t, member);
    });
    afterAll(async () => t?.close());

    it('lets a member run every report as JSON', async () => {
      const series = await api('POST', '/analytics/reports/series', SERIES);
      expect(series.status).toBe(200);
      expect(series.body).toEqual({
        interval: 'day',
        buckets: [D1, D2, D3],
        series: [{ key: null, counts: [5, 7, 3], uniques: [3, 5, 3] }],
        totals: { count: 15, uniques: 7 },
      });
      const funnel = await api('POST', '/analytics/reports/funnel', RANGE);
      expect(funnel.status).toBe(200);
      expect(funnel.body.announcements).toHaveLength(3);
      const articles = await api('POST', '/analytics/reports/articles', { ...RANGE, limit: 2 });
      expect(articles.status).toBe(200);
      expect(articles.body.topArticles).toHaveLength(2);
      const demographics = await api('POST', '/analytics/reports/demographics', { ...RANGE, attributes: ['plan'] });
      expect(demographics.status).toBe(200);
      expect(demographics.body.activePersons).toBeGreaterThan(0);
      const identity = await api('POST', '/analytics/reports/identity-health', { ...RANGE, interval: 'day' });
      expect(identity.status).toBe(200);
      expect(identity.body.buckets).toEqual([D1, D2, D3]);
    });

    it('answers CSV with ?format=csv, as a download named after the report and its days', async () => {
      const res = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/analytics/reports/series?format=csv`,
        cookie: member.cookie,
        payload: { ...SERIES, breakdown: 'plan', limit: 1 },
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toBe('attachment; filename="lumio-series-2026-11-15-2026-11-17.csv"');
      expect(res.body.split('\r\n').slice(0, 2)).toEqual(['bucket,plan,count,uniques', '2026-11-15T00:00:00.000Z,pro,3,1']);
      const articles = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/analytics/reports/articles?format=csv`,
        cookie: member.cookie,
        payload: RANGE,
      });
      // A search typed as a formula is exported as text.
      expect(articles.body).toContain(",'=cmd|calc,");
      expect(articles.body).not.toContain(',=cmd');
      for (const report of ['funnel', 'demographics', 'identity-health']) {
        const res = await call(t.app, {
          method: 'POST',
          url: `/api/v1/workspaces/${owner.workspaceId}/analytics/reports/${report}?format=csv`,
          cookie: member.cookie,
          payload: report === 'identity-health' ? { ...RANGE, interval: 'day' } : RANGE,
        });
        expect(res.status, report).toBe(200);
        expect(res.headers['content-disposition']).toBe(`attachment; filename="lumio-${report}-2026-11-15-2026-11-17.csv"`);
      }
      const bad = await api('POST', '/analytics/reports/series?format=xml', SERIES);
      expect(bad.status).toBe(400);
    });

    it('refuses an invalid condition, an unknown segment, a range over 400 days and malformed bodies', async () => {
      const condition = await api('POST', '/analytics/reports/series', { ...SERIES, condition: { plan: { $bogus: 1 } } });
      expect(condition.status).toBe(400);
      expect(condition.body.error.code).toBe('invalid_condition');
      const segment = await api('POST', '/analytics/reports/funnel', { ...RANGE, segmentId: 'seg_missing' });
      expect(segment.status).toBe(400);
      expect(segment.body.error.code).toBe('invalid_condition');
      const long = await api('POST', '/analytics/reports/series', { ...SERIES, from: D4 - 401 * DAY });
      expect(long.status).toBe(400);
      expect(long.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'from' } });
      const backwards = await api('POST', '/analytics/reports/articles', { from: D4, to: D1 });
      expect(backwards.status).toBe(400);
      for (const body of [
        { ...SERIES, interval: 'month' },
        { ...SERIES, extra: true },
        { ...SERIES, limit: 21 },
        { ...SERIES, breakdown: 'a.b' },
        { ...SERIES, from: '2026-11-15' },
        { to: D4, event: '$widget_opened', interval: 'day' },
      ]) {
        const res = await api('POST', '/analytics/reports/series', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });

    it("never counts another workspace's events, and refuses its reports to non-members", async () => {
      const own = await workspaceApi(t, other)('POST', '/analytics/reports/series', SERIES);
      expect(own.body.series[0].counts).toEqual([0, 2, 0]);
      const funnel = await workspaceApi(t, other)('POST', '/analytics/reports/funnel', RANGE);
      expect(funnel.body.announcements).toEqual([
        expect.objectContaining({ title: null, shown: { count: 1, uniques: 1 }, clicked: { count: 1, uniques: 1 } }),
      ]);
      const foreign = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${other.workspaceId}/analytics/reports/series`,
        cookie: member.cookie,
        payload: SERIES,
      });
      expect(foreign.status).toBe(404);
      const events = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${other.workspaceId}/users/alice/events`,
        cookie: owner.cookie,
      });
      expect(events.status).toBe(404);
    });

    it('lists the property catalogue to members', async () => {
      t.services.catalogue.observe(
        owner.workspaceId,
        {
          userId: 'alice',
          trust: 'verified',
          name: null,
          email: null,
          birthday: null,
          gender: null,
          properties: { plan: 'pro' },
          sources: {},
        },
        t.clock.now(),
      );
      const res = await api('GET', '/analytics/properties');
      expect(res.status).toBe(200);
      expect(res.body.properties).toEqual([expect.objectContaining({ key: 'plan', kind: 'property', types: ['string'] })]);
    });

    it("lists the workspace's event names for the picker, none of another workspace's", async () => {
      await t.deps.db.transaction().execute((trx) =>
        t.services.events.insert(
          trx,
          ['invoice_paid', 'zz_other_only'].map((name, i) => ({
            workspaceId: other.workspaceId,
            eventId: `ev_names_${i}`,
            widgetId: 'wgt_names',
            name,
            at: D3 + HOUR,
            person: 'a:browser-names',
            userId: null,
            anonymousId: 'browser-names',
            trust: 'anonymous' as const,
            snapshotId: 0,
            object: null,
            props: null,
          })),
          t.clock.now(),
        ),
      );
      const res = await api('GET', '/analytics/event-names');
      expect(res.status).toBe(200);
      expect(res.body.truncated).toBe(false);
      expect(res.body.eventNames.map((e: { name: string }) => e.name)).toEqual([
        '$announcement_clicked',
        '$announcement_dismissed',
        '$announcement_shown',
        '$article_rated',
        '$article_searched',
        '$article_viewed',
        '$widget_opened',
      ]);
      expect(res.body.eventNames.at(-1)).toEqual({ name: '$widget_opened', lastDay: D4 });
      const others = await workspaceApi(t, other)('GET', '/analytics/event-names');
      expect(others.body.eventNames.map((e: { name: string }) => e.name)).toEqual(
        expect.arrayContaining(['invoice_paid', 'zz_other_only', '$widget_opened']),
      );
      expect(
        (await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${other.workspaceId}/analytics/event-names`, cookie: member.cookie }))
          .status,
      ).toBe(404);
    });

    it('shows the retention setting to members; only admins and owners change it, audited', async () => {
      expect((await api('GET', '/analytics/settings')).body).toEqual({ retentionDays: 365 });
      const refused = await api('PUT', '/analytics/settings', { retentionDays: 30 });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      for (const retentionDays of [0, 3651, 1.5]) {
        expect((await workspaceApi(t, admin)('PUT', '/analytics/settings', { retentionDays })).status).toBe(400);
      }
      const changed = await workspaceApi(t, admin)('PUT', '/analytics/settings', { retentionDays: 30 });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ retentionDays: 30 });
      expect((await api('GET', '/analytics/settings')).body).toEqual({ retentionDays: 30 });
      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      expect(JSON.stringify(audit.body)).toContain('analytics.settings.update');
      expect((await workspaceApi(t, owner)('PUT', '/analytics/settings', { retentionDays: 365 })).status).toBe(200);
    });

    it("pages through a user's recent events, newest first", async () => {
      const first = await api('GET', '/users/alice/events?limit=2');
      expect(first.status).toBe(200);
      expect(first.body.events.map((e: { name: string; at: number }) => [e.name, e.at])).toEqual([
        ['$widget_opened', D4],
        ['$article_viewed', D3 + 9 * HOUR],
      ]);
      expect(first.body.events[1]).toMatchObject({
        userId: 'alice',
        trust: 'verified',
        object: expect.any(String),
        props: { articleId: expect.any(String) },
      });
      expect(first.body.nextBefore).toBe(D3 + 9 * HOUR);
      const next = await api('GET', `/users/alice/events?limit=2&before=${first.body.nextBefore}`);
      expect(next.body.events.map((e: { name: string; at: number }) => [e.name, e.at])).toEqual([
        ['$announcement_shown', D2 + 11 * HOUR],
        ['$announcement_clicked', D2 + 10 * HOUR + 60_000],
      ]);
      const all = await api('GET', '/users/alice/events');
      expect(all.body.events).toHaveLength(14);
      expect(all.body.nextBefore).toBeNull();
      expect((await api('GET', '/users/nobody/events')).body).toEqual({ events: [], nextBefore: null });
      expect((await api('GET', '/users/alice/events?limit=0')).status).toBe(400);
    });
  });
}
