import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { call, createApiKey, setupOwner, type Session } from '../../test-support/api-helpers.js';
import type { SeriesReport } from './series-report.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const lines = (report: SeriesReport) => report.series.map(({ key, counts, uniques, companies }) => ({ key, counts, uniques, companies }));

// Server-side events (POST /server/v1/events) name companies themselves (events.company_id, migration 0026):
// a company's own events have no user (person "c:<companyId>"), and a user's event may name a company the user
// is not a member of. Reports count those companies, and never count a company as a person.
for (const dialect of DIALECTS) {
  describe(`reports over server-side company events [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let base: number;
    const reports = () => t.services.reports;
    const ws = () => owner.workspaceId;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      const key = await createApiKey(t, owner);
      const api = (method: 'PUT' | 'POST', url: string, payload: Record<string, unknown>) =>
        call(t.app, { method, url, bearer: key, payload });
      // u1 is a member of Acme (plan pro); u2 of none; Initech (plan enterprise) and Globex have no members.
      expect((await api('PUT', '/server/v1/users/u1', { companies: [{ id: 'acme', properties: { plan: 'pro' } }] })).status).toBe(200);
      expect((await api('PUT', '/server/v1/companies/initech', { properties: { plan: 'enterprise' } })).status).toBe(200);
      base = Math.floor(t.clock.now() / DAY) * DAY - 2 * DAY;
      const events = [
        // Day 0: u1 with its own company; u2 with a company it is not a member of.
        { id: 'rep_evt_0001', name: 'paid', userId: 'u1', company: 'acme', at: base + HOUR },
        { id: 'rep_evt_0002', name: 'paid', userId: 'u2', company: 'globex', at: base + 2 * HOUR },
        // Day 1: Initech's own event (no user); u1 without a company.
        { id: 'rep_evt_0003', name: 'paid', company: 'initech', at: base + DAY + HOUR },
        { id: 'rep_evt_0004', name: 'paid', userId: 'u1', at: base + DAY + 2 * HOUR },
      ];
      const sent = await api('POST', '/server/v1/events', { events });
      expect(sent.body.accepted).toBe(4);
    });
    afterAll(async () => t?.close());

    // Whole days read the daily rollup; a range ending inside a day reads the events.
    const ranges = () =>
      [
        ['rollup', { from: base, to: base + 2 * DAY }],
        ['events', { from: base, to: base + 2 * DAY - 1 }],
      ] as const;

    it("counts the companies events name themselves, and a company's own events as events but not people", async () => {
      for (const [source, range] of ranges()) {
        const report = await reports().series(ws(), { ...range, event: 'paid', interval: 'day', count: 'companies' });
        // Day 0: Acme (membership and event) and Globex (named by u2's event); day 1: Initech (its own) and Acme (u1's membership).
        expect([source, lines(report)]).toEqual([source, [{ key: null, counts: [2, 2], uniques: [2, 1], companies: [2, 2] }]]);
        expect([source, report.totals]).toEqual([source, { count: 4, uniques: 2, companies: 3 }]);
        // The same with a breakdown by an event attribute (every server event is verified).
        const byTrust = await reports().series(ws(), { ...range, event: 'paid', interval: 'day', breakdown: 'trust', count: 'companies' });
        expect([source, lines(byTrust)]).toEqual([source, [{ key: 'verified', counts: [2, 2], uniques: [2, 1], companies: [2, 2] }]]);
        expect([source, byTrust.totals]).toEqual([source, { count: 4, uniques: 2, companies: 3 }]);
        // Without count: 'companies' the people are the same.
        const plain = await reports().series(ws(), { ...range, event: 'paid', interval: 'day' });
        expect([source, plain.totals]).toEqual([source, { count: 4, uniques: 2 }]);
      }
    });

    it("puts a company's own events under its own value in a company breakdown", async () => {
      for (const [source, range] of ranges()) {
        const report = await reports().series(ws(), {
          ...range,
          event: 'paid',
          interval: 'day',
          breakdown: 'company.plan',
          count: 'companies',
        });
        expect([source, lines(report)]).toEqual([
          source,
          [
            { key: 'pro', counts: [1, 1], uniques: [1, 1], companies: [1, 1] },
            { key: 'enterprise', counts: [0, 1], uniques: [0, 0], companies: [0, 1] },
            // u2 is in no company: its event's Globex has no plan and counts in the totals only.
            { key: '$none', counts: [1, 0], uniques: [1, 0], companies: [0, 0] },
          ],
        ]);
        expect([source, report.totals]).toEqual([source, { count: 4, uniques: 2, companies: 3 }]);
      }
    });

    it('does not count a company as an active person in demographics', async () => {
      const report = await reports().demographics(ws(), { from: base, to: base + 2 * DAY });
      expect(report.activePersons).toBe(2);
      expect(report.trust).toEqual({ verified: 2, identified: 0, anonymous: 0 });
    });
  });
}
