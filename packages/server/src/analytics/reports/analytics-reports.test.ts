import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { PASSWORD, setupOwner, type Session } from '../../test-support/api-helpers.js';
import {
  D1,
  D2,
  D3,
  D4,
  DAY,
  HOUR,
  OTHER_WIDGET,
  seedOtherWorkspace,
  seedReportFixture,
  type ReportFixture,
} from '../../test-support/analytics-fixture.js';
import type { SeriesReport } from './series-report.js';
import { bucketStart, bucketStarts } from './report-sql.js';
import { articlesCsv, seriesCsv } from './report-csv.js';

const SYSTEM = { type: 'cli' as const, id: null, ip: null };
const RANGE = { from: D1, to: D4 };
const OPENED = { ...RANGE, event: '$widget_opened', interval: 'day' } as const;

/** The lines of a series by key, for comparing without caring about float formatting. */
const lines = (report: SeriesReport) => report.series.map((s) => ({ key: s.key, counts: s.counts, uniques: s.uniques }));

describe('report buckets', () => {
  it('starts hours and days on the hour and day, weeks on Monday 00:00 UTC', () => {
    const at = D2 + 13 * HOUR + 1234;
    expect(bucketStart(at, 'hour')).toBe(D2 + 13 * HOUR);
    expect(bucketStart(at, 'day')).toBe(D2);
    // D1 is a Sunday: its week began the Monday before.
    expect(new Date(D1).getUTCDay()).toBe(0);
    expect(bucketStart(D1 + 23 * HOUR, 'week')).toBe(D1 - 6 * DAY);
    expect(bucketStart(D2, 'week')).toBe(D2);
    expect(bucketStart(0, 'week')).toBe(-3 * DAY);
    expect(bucketStarts(D2 + 30 * 60_000, D2 + 2 * HOUR, 'hour')).toEqual([D2, D2 + HOUR]);
  });
});

for (const dialect of DIALECTS) {
  describe(`analytics reports [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let fixture: ReportFixture;
    let segmentId: string;
    const reports = () => t.services.reports;
    const ws = () => owner.workspaceId;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      fixture = await seedReportFixture(t, owner);
      const other = await t.services.accounts.create({ email: 'other@example.com', password: PASSWORD });
      const otherWorkspace = await t.services.workspaces.create('Other', other.id, SYSTEM);
      await seedOtherWorkspace(t, otherWorkspace.id, fixture);
      const segment = await t.services.segments.create(ws(), { name: 'Members', condition: { role: 'member' } }, SYSTEM);
      segmentId = segment.id;
    });
    afterAll(async () => t?.close());

    describe('series', () => {
      it('counts events and distinct persons per day, empty days included, over [from, to)', async () => {
        const report = await reports().series(ws(), OPENED);
        expect(report).toEqual({
          interval: 'day',
          buckets: [D1, D2, D3],
          series: [{ key: null, counts: [5, 7, 3], uniques: [3, 5, 3] }],
          totals: { count: 15, uniques: 7 },
        });
        const wider = await reports().series(ws(), { ...OPENED, to: D4 + 2 * DAY });
        expect(wider.buckets).toEqual([D1, D2, D3, D4, D4 + DAY]);
        expect(wider.series[0]!.counts).toEqual([5, 7, 3, 1, 0]);
      });

      it('puts each event in the hour it happened, from the hour holding `from`', async () => {
        const report = await reports().series(ws(), { ...OPENED, interval: 'hour', from: D2, to: D2 + 10 * HOUR });
        expect(report.buckets).toEqual(Array.from({ length: 10 }, (_, i) => D2 + i * HOUR));
        expect(lines(report)).toEqual([{ key: null, counts: [1, 0, 0, 0, 0, 0, 0, 0, 2, 2], uniques: [1, 0, 0, 0, 0, 0, 0, 0, 2, 1] }]);
        // From 00:30: the first bucket still starts at 00:00, but the 00:00 event is outside the range.
        const late = await reports().series(ws(), { ...OPENED, interval: 'hour', from: D2 + 30 * 60_000, to: D2 + 10 * HOUR });
        expect(late.buckets[0]).toBe(D2);
        expect(late.series[0]!.counts[0]).toBe(0);
        expect(late.totals).toEqual({ count: 4, uniques: 3 });
      });

      it('weeks start on Monday: Sunday D1 is in the week before', async () => {
        const report = await reports().series(ws(), { ...OPENED, interval: 'week' });
        expect(report.buckets).toEqual([D1 - 6 * DAY, D2]);
        expect(lines(report)).toEqual([{ key: null, counts: [5, 10], uniques: [3, 7] }]);
      });

      it('filters on the profile as of each event, or on the profile now', async () => {
        const pro = await reports().series(ws(), { ...OPENED, condition: { plan: 'pro' } });
        expect(lines(pro)).toEqual([{ key: null, counts: [3, 3, 0], uniques: [1, 2, 0] }]);
        expect(pro.totals).toEqual({ count: 6, uniques: 2 });
        // Dave's events were recorded on the free plan; he is on pro now.
        const proNow = await reports().series(ws(), { ...OPENED, condition: { plan: 'pro' }, on: 'current' });
        expect(lines(proNow)).toEqual([{ key: null, counts: [3, 5, 1], uniques: [1, 3, 1] }]);
        expect(proNow.totals).toEqual({ count: 9, uniques: 3 });
        const admins = await reports().series(ws(), { ...OPENED, condition: { plan: 'pro', role: 'admin' } });
        expect(admins.series[0]!.counts).toEqual([3, 1, 0]);
        const adminsNow = await reports().series(ws(), { ...OPENED, condition: { plan: 'pro', role: 'admin' }, on: 'current' });
        expect(adminsNow.series[0]!.counts).toEqual([3, 3, 1]);
      });

      it('filters by a saved segment, verified sessions only, a widget, and trusted values only', async () => {
        const members = await reports().series(ws(), { ...OPENED, segmentId });
        expect(lines(members)).toEqual([{ key: null, counts: [1, 2, 2], uniques: [1, 1, 2] }]);
        const verified = await reports().series(ws(), { ...OPENED, verifiedOnly: true });
        expect(lines(verified)).toEqual([{ key: null, counts: [3, 5, 2], uniques: [1, 3, 2] }]);
        expect(verified.totals).toEqual({ count: 10, uniques: 4 });
        const widget = await reports().series(ws(), { ...OPENED, widgetId: OTHER_WIDGET });
        expect(widget.series[0]!.counts).toEqual([0, 0, 1]);
        // Carol's plan came from an unverified source.
        const trusted = await reports().series(ws(), { ...OPENED, condition: { plan: 'pro' }, properties: 'trusted' });
        expect(trusted.series[0]!.counts).toEqual([3, 1, 0]);
      });

      it('breaks down by the top values, the rest as $other and no value as $none', async () => {
        const byPlan = await reports().series(ws(), { ...OPENED, breakdown: 'plan', limit: 2 });
        expect(lines(byPlan)).toEqual([
          { key: 'pro', counts: [3, 3, 0], uniques: [1, 2, 0] },
          { key: 'free', counts: [1, 2, 2], uniques: [1, 1, 2] },
          { key: '$other', counts: [0, 0, 1], uniques: [0, 0, 1] },
          { key: '$none', counts: [1, 2, 0], uniques: [1, 2, 0] },
        ]);
        expect(byPlan.totals).toEqual({ count: 15, uniques: 7 });
        const byPlanNow = await reports().series(ws(), { ...OPENED, breakdown: 'plan', limit: 2, on: 'current' });
        expect(lines(byPlanNow)).toEqual([
          { key: 'pro', counts: [3, 5, 1], uniques: [1, 3, 1] },
          { key: 'free', counts: [1, 0, 1], uniques: [1, 0, 1] },
          { key: '$other', counts: [0, 0, 1], uniques: [0, 0, 1] },
          { key: '$none', counts: [1, 2, 0], uniques: [1, 2, 0] },
        ]);
        const filtered = await reports().series(ws(), { ...OPENED, breakdown: 'region', condition: { plan: 'pro' } });
        expect(lines(filtered)).toEqual([
          { key: 'eu', counts: [3, 1, 0], uniques: [1, 1, 0] },
          { key: 'us', counts: [0, 2, 0], uniques: [0, 1, 0] },
        ]);
      });

      it('breaks down by trust and user from the events, and counts trusted values only when asked', async () => {
        const byTrust = await reports().series(ws(), { ...OPENED, breakdown: 'trust' });
        expect(lines(byTrust)).toEqual([
          { key: 'verified', counts: [3, 5, 2], uniques: [1, 3, 2] },
          { key: 'anonymous', counts: [1, 2, 0], uniques: [1, 2, 0] },
          { key: 'identified', counts: [1, 0, 1], uniques: [1, 0, 1] },
        ]);
        const byUser = await reports().series(ws(), { ...OPENED, breakdown: 'userId', limit: 2 });
        expect(byUser.series.map((s) => [s.key, s.counts])).toEqual([
          ['alice', [3, 1, 0]],
          ['dave', [0, 2, 1]],
          ['$other', [1, 2, 2]],
          ['$none', [1, 2, 0]],
        ]);
        const trusted = await reports().series(ws(), { ...OPENED, breakdown: 'plan', properties: 'trusted' });
        expect(trusted.series.map((s) => [s.key, s.counts])).toEqual([
          ['pro', [3, 1, 0]],
          ['free', [0, 2, 1]],
          ['team', [0, 0, 1]],
          ['$none', [2, 4, 1]],
        ]);
      });

      it('renders numbers, booleans and lists the same on every database', async () => {
        const keys = async (breakdown: string) =>
          (await reports().series(ws(), { ...OPENED, breakdown })).series.map((s) => [s.key, s.counts.reduce((a, b) => a + b, 0)]);
        expect(await keys('seats')).toEqual([
          ['5', 4],
          ['2.5', 2],
          ['$none', 9],
        ]);
        expect(await keys('beta')).toEqual([
          ['true', 4],
          ['$none', 11],
        ]);
        expect(await keys('tags')).toEqual([
          ['["a","b"]', 4],
          ['$none', 11],
        ]);
        expect(await keys('gender')).toEqual([
          ['female', 6],
          ['male', 3],
          ['$none', 6],
        ]);
      });

      it('refuses a breakdown that is not an attribute name, and too many hourly buckets', async () => {
        for (const breakdown of ['a.b', 'plan"', '__proto__', '']) {
          await expect(reports().series(ws(), { ...OPENED, breakdown })).rejects.toMatchObject({ code: 'invalid_request' });
        }
        await expect(reports().series(ws(), { ...OPENED, interval: 'hour', from: D4 - 150 * DAY })).rejects.toMatchObject({
          code: 'invalid_request',
          details: { field: 'interval' },
        });
      });
    });

    it.runIf(dialect === 'sqlite')('reads a day series from the daily rollup key alone, counts included (WITHOUT ROWID)', async () => {
      const plan = await sql`explain query plan
        select at, person, sum(events) from event_daily where workspace_id = ${ws()} and name = '$widget_opened' and at >= ${D1} and at < ${D4}
        group by at, person`.execute(t.deps.db);
      const details = plan.rows.map((row) => (row as { detail: string }).detail).join(' | ');
      // A rowid table would read "USING INDEX sqlite_autoindex_event_daily_1", then the table for `events`.
      expect(details).toContain('SEARCH event_daily USING PRIMARY KEY (workspace_id=? AND name=? AND at>? AND at<?)');
    });

    it('funnel: shown, clicked and dismissed per announcement, rates over persons shown', async () => {
      const report = await reports().funnel(ws(), RANGE);
      expect(report.announcements).toEqual([
        {
          announcementId: fixture.announcementId,
          title: 'Welcome aboard',
          shown: { count: 5, uniques: 4 },
          clicked: { count: 3, uniques: 3 },
          dismissed: { count: 1, uniques: 1 },
          clickRate: 0.5,
          dismissRate: 0.25,
        },
        {
          announcementId: 'ann_gone',
          title: null,
          shown: { count: 1, uniques: 1 },
          clicked: { count: 0, uniques: 0 },
          dismissed: { count: 1, uniques: 1 },
          clickRate: 0,
          dismissRate: 1,
        },
        {
          announcementId: 'ann_orphan',
          title: null,
          shown: { count: 0, uniques: 0 },
          clicked: { count: 1, uniques: 1 },
          dismissed: { count: 0, uniques: 0 },
          clickRate: null,
          dismissRate: null,
        },
      ]);
      const one = await reports().funnel(ws(), { ...RANGE, announcementId: 'ann_gone' });
      expect(one.announcements.map((a) => a.announcementId)).toEqual(['ann_gone']);
      // Pro users as of the events: Alice and Carol.
      const pro = await reports().funnel(ws(), { ...RANGE, condition: { plan: 'pro' } });
      expect(pro.announcements).toEqual([
        expect.objectContaining({
          shown: { count: 3, uniques: 2 },
          clicked: { count: 2, uniques: 2 },
          dismissed: { count: 0, uniques: 0 },
          clickRate: 1,
          dismissRate: 0,
        }),
      ]);
    });

    it('articles: top articles by views with ratings, top searches and searches that found nothing', async () => {
      const { started, billing } = fixture.articleIds;
      const report = await reports().articles(ws(), RANGE);
      expect(report.topArticles).toEqual([
        { articleId: started, title: 'Getting started', views: 4, uniques: 3, helpful: 2, unhelpful: 2 },
        { articleId: 'art_gone', title: null, views: 3, uniques: 1, helpful: 0, unhelpful: 0 },
        { articleId: billing, title: 'Billing', views: 1, uniques: 1, helpful: 0, unhelpful: 0 },
      ]);
      expect(report.topSearches).toEqual([
        { query: 'invoice', count: 3, uniques: 2, noResults: true },
        { query: 'reset password', count: 2, uniques: 2, noResults: false },
        // Its latest search found something.
        { query: 'sso', count: 2, uniques: 2, noResults: false },
        { query: '=cmd|calc', count: 1, uniques: 1, noResults: true },
      ]);
      expect(report.noResultSearches).toEqual([
        { query: 'invoice', count: 3, uniques: 2, lastAt: D3 + 9 * HOUR },
        { query: '=cmd|calc', count: 1, uniques: 1, lastAt: D2 + 13 * HOUR },
        { query: 'sso', count: 1, uniques: 1, lastAt: D2 + 9 * HOUR },
      ]);
      const top1 = await reports().articles(ws(), { ...RANGE, limit: 1 });
      expect(top1.topArticles.map((a) => a.articleId)).toEqual([started]);
      expect(top1.topSearches.map((s) => s.query)).toEqual(['invoice']);
      expect(top1.noResultSearches.map((s) => s.query)).toEqual(['invoice']);
    });

    it('exports reports as CSV: ISO bucket times, quoted text, formulas defused', async () => {
      const series = await reports().series(ws(), { ...OPENED, breakdown: 'plan', limit: 1 });
      expect(seriesCsv(series, 'plan').split('\r\n').slice(0, 4)).toEqual([
        'bucket,plan,count,uniques',
        '2026-11-15T00:00:00.000Z,pro,3,1',
        '2026-11-15T00:00:00.000Z,$other,1,1',
        '2026-11-15T00:00:00.000Z,$none,1,1',
      ]);
      const articles = articlesCsv(await reports().articles(ws(), RANGE));
      expect(articles).toContain("\r\ntopSearches,,,'=cmd|calc,1,1,,,true,\r\n");
      expect(articles).toContain(`\r\nnoResultSearches,,,invoice,3,2,,,true,${new Date(D3 + 9 * HOUR).toISOString()}\r\n`);
    });
  });
}
