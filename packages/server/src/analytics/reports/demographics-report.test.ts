import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { insertStoredUsers } from '../../test-support/stored-users.js';
import type { ProfileSnapshot } from '../event-snapshots.js';
import { personOf, type EventRow } from '../event-store.js';
import { compileFilter } from './report-filter.js';
import { demographicsReport, topInterestsQuery, type DemographicsRequest } from './demographics-report.js';

const at = (iso: string) => Date.parse(`${iso}Z`);
// The range: 1–21 November 2026; ages are counted at its end, 2026-11-21.
const FROM = at('2026-11-01T00:00:00');
const TO = at('2026-11-21T00:00:00');

interface Activity {
  userId?: string;
  anonymousId?: string;
  trust: EventRow['trust'];
  profile: Partial<ProfileSnapshot> | null;
  at: number;
}

let sequence = 0;

for (const dialect of DIALECTS) {
  describe(`demographics report [${dialect}]`, () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());

    /** Records one event per activity, each under its profile snapshot, as ingestion would. */
    const record = (workspaceId: string, activities: Activity[]) =>
      t.deps.db.transaction().execute(async (trx) => {
        const rows: EventRow[] = [];
        for (const a of activities) {
          const snapshot: ProfileSnapshot | null = a.profile
            ? {
                userId: a.userId!,
                trust: a.trust === 'anonymous' ? 'identified' : a.trust,
                name: null,
                email: null,
                birthday: null,
                gender: null,
                properties: {},
                sources: {},
                ...a.profile,
              }
            : null;
          const { id } = await t.services.snapshots.idFor(trx, workspaceId, snapshot);
          const anonymousId = a.anonymousId ?? `anon_${a.userId}`;
          rows.push({
            workspaceId,
            eventId: `evt_${(sequence++).toString(36).padStart(10, '0')}`,
            widgetId: 'wgt_test',
            name: '$widget_opened',
            at: a.at,
            person: personOf(a.userId ?? null, anonymousId),
            userId: a.userId ?? null,
            anonymousId,
            trust: a.trust,
            snapshotId: id,
            object: null,
            props: null,
          });
        }
        await t.services.events.insert(trx, rows, t.clock.now());
      });

    const report = async (workspaceId: string, request: Omit<DemographicsRequest, 'from' | 'to'> & Partial<DemographicsRequest>) => {
      const full = { from: FROM, to: TO, ...request };
      return demographicsReport(t.deps, workspaceId, full, await compileFilter(t.deps, t.services.segments, workspaceId, full));
    };

    describe('persons of one workspace', () => {
      let ws: string;
      beforeAll(async () => {
        ws = (await t.services.workspaces.create('Demo', null, { type: 'system', id: null, ip: null })).id;
        const day = (n: number) => at(`2026-11-${String(n).padStart(2, '0')}T10:00:00`);
        await record(ws, [
          // u1 upgraded during the range: counted under both plans.
          {
            userId: 'u1',
            trust: 'verified',
            profile: { gender: 'Female', birthday: '2008-11-21', properties: { plan: 'pro' }, sources: { 'properties.plan': 'claimed' } },
            at: day(2),
          },
          {
            userId: 'u1',
            trust: 'verified',
            profile: {
              gender: 'Female',
              birthday: '2008-11-21',
              properties: { plan: 'enterprise' },
              sources: { 'properties.plan': 'claimed' },
            },
            at: day(5),
          },
          // 17 on the last day: their 18th birthday is the day after.
          {
            userId: 'u2',
            trust: 'identified',
            profile: { gender: 'Male', birthday: '2008-11-22', properties: { plan: 'free' }, sources: { 'properties.plan': 'unverified' } },
            at: day(3),
          },
          {
            userId: 'u3',
            trust: 'verified',
            profile: { gender: 'Female', birthday: '1961-11-21', properties: { plan: 'free' }, sources: { 'properties.plan': 'trusted' } },
            at: day(4),
          },
          // u3's activity from before they identified: attributed to them, recorded with no profile.
          { userId: 'u3', anonymousId: 'anon_u3', trust: 'verified', profile: null, at: day(4) },
          { userId: 'u4', trust: 'verified', profile: { birthday: '1961-11-22', properties: { plan: 'team' } }, at: day(6) },
          { userId: 'u5', trust: 'verified', profile: { gender: 'Male' }, at: day(20) },
          { anonymousId: 'anon_1', trust: 'anonymous', profile: null, at: day(7) },
          // Outside the range.
          { userId: 'u6', trust: 'verified', profile: { gender: 'Other' }, at: at('2026-10-31T23:59:59') },
          { userId: 'u6', trust: 'verified', profile: { gender: 'Other' }, at: TO },
        ]);
        await record('ws_other', [{ userId: 'u1', trust: 'verified', profile: { gender: 'Other' }, at: day(2) }]);
        const stored = { name: null, email: null, sources: {}, trust: 'verified' as const };
        await insertStoredUsers(
          t.adapter,
          ws,
          [
            { ...stored, userId: 'u1', gender: 'Female', birthday: '2008-11-21', properties: { plan: 'enterprise' } },
            { ...stored, userId: 'u2', gender: 'Male', birthday: '2008-11-22', properties: { plan: 'pro' }, trust: 'identified' },
            { ...stored, userId: 'u3', gender: 'Female', birthday: '1961-11-21', properties: { plan: 'free' } },
            { ...stored, userId: 'u4', gender: null, birthday: '1961-11-22', properties: { plan: 'team' } },
          ],
          t.clock.now(),
        );
      });

      it('counts distinct persons by trust, gender, age band (whole years at "to") and plan, as of each event', async () => {
        const r = await report(ws, { attributes: ['plan'] });
        expect(r.activePersons).toBe(6);
        expect(r.trust).toEqual({ verified: 4, identified: 1, anonymous: 1 });
        expect(r.gender).toEqual([
          { value: 'Female', persons: 2 },
          { value: 'Male', persons: 2 },
          { value: '$none', persons: 2 },
        ]);
        expect(r.ageBands).toEqual([
          { band: 'under 18', persons: 1 },
          { band: '18-24', persons: 1 },
          { band: '25-34', persons: 0 },
          { band: '35-44', persons: 0 },
          { band: '45-54', persons: 0 },
          { band: '55-64', persons: 1 },
          { band: '65+', persons: 1 },
          { band: '$none', persons: 2 },
        ]);
        // u1 counts under both plans they had; u3's profile-less activity does not make them "$none".
        expect(r.attributes).toEqual({
          plan: [
            { value: 'free', persons: 2 },
            { value: 'enterprise', persons: 1 },
            { value: 'pro', persons: 1 },
            { value: 'team', persons: 1 },
            { value: '$none', persons: 2 },
          ],
        });
      });

      it('reads current profiles instead with on: current (a user with no stored profile has no values)', async () => {
        const r = await report(ws, { attributes: ['plan'], on: 'current' });
        expect(r.activePersons).toBe(6);
        expect(r.attributes.plan).toEqual([
          { value: 'enterprise', persons: 1 },
          { value: 'free', persons: 1 },
          { value: 'pro', persons: 1 },
          { value: 'team', persons: 1 },
          { value: '$none', persons: 2 },
        ]);
        expect(r.gender).toEqual([
          { value: 'Female', persons: 2 },
          { value: 'Male', persons: 1 },
          { value: '$none', persons: 3 },
        ]);
      });

      it('narrows to verified activity, to a condition, and to trusted values', async () => {
        const verified = await report(ws, { verifiedOnly: true });
        expect(verified.activePersons).toBe(4);
        expect(verified.trust).toEqual({ verified: 4, identified: 0, anonymous: 0 });
        expect(verified.gender).toEqual([
          { value: 'Female', persons: 2 },
          { value: 'Male', persons: 1 },
          { value: '$none', persons: 1 },
        ]);
        const free = await report(ws, { condition: { plan: 'free' }, attributes: ['plan'] });
        expect(free.activePersons).toBe(2);
        expect(free.attributes.plan).toEqual([{ value: 'free', persons: 2 }]);
        const trusted = await report(ws, { properties: 'trusted', attributes: ['plan'] });
        expect(trusted.attributes.plan).toEqual([
          { value: 'free', persons: 1 },
          { value: '$none', persons: 5 },
        ]);
      });

      it('lists the top interests of the active known users: their verified profiles now, bounded, filters included', async () => {
        const now = t.clock.now();
        const interest = (workspace: string, viewer: string, topic: string, score: number) =>
          t.deps.db.insertInto('interest_scores').values({ workspace_id: workspace, viewer, topic, score, updated_at: now }).execute();
        // Levels now: 4 points → 0.5 (interested, the threshold is inclusive), 12 → 0.875, 1 → 0.159.
        await interest(ws, 'v:u1', 'billing', 4);
        await interest(ws, 'v:u1', 'api', 12);
        await interest(ws, 'v:u3', 'billing', 1);
        await interest(ws, 'v:u3', 'api', 4);
        await interest(ws, 'v:u4', 'api', 12);
        // Never counted: an unverified claimant's profile, an anonymous one, someone active outside the range, another workspace.
        await interest(ws, 'i:u2', 'billing', 400);
        await interest(ws, 'a:anon_1', 'billing', 400);
        await interest(ws, 'v:u6', 'billing', 400);
        await t.deps.db.insertInto('workspaces').values({ id: 'ws_interests_elsewhere', name: 'x', created_at: 0 }).execute();
        await interest('ws_interests_elsewhere', 'v:u1', 'setup', 400);

        const r = await report(ws, {});
        expect(r.interests.threshold).toBe(0.5);
        expect(r.interests.knownPersons).toBe(5);
        expect(r.interests.topics).toEqual([
          { topic: 'api', persons: 3, meanLevel: 0.45 },
          { topic: 'billing', persons: 1, meanLevel: Math.round(((0.5 + (1 - 2 ** -0.25)) / 5) * 10_000) / 10_000 },
        ]);
        const verified = await report(ws, { verifiedOnly: true });
        expect(verified.interests.knownPersons).toBe(4);
        expect(verified.interests.topics[0]).toEqual({ topic: 'api', persons: 3, meanLevel: 0.5625 });
        // A filter on interests (current levels, on snapshots or current profiles alike) narrows the persons.
        for (const on of ['snapshot', 'current'] as const) {
          const fans = await report(ws, { on, condition: { 'interests.api': { $gt: 0.8 } } });
          expect(fans.activePersons).toBe(2);
          expect(fans.interests.topics).toEqual([
            { topic: 'api', persons: 2, meanLevel: 0.875 },
            { topic: 'billing', persons: 1, meanLevel: 0.25 },
          ]);
        }

        // At most 10 topics: u5's twelve, 5 to 16 points (levels 0.58 to 0.94), push billing and the weakest out.
        for (let k = 0; k < 12; k++) await interest(ws, 'v:u5', `t${String(k).padStart(2, '0')}`, 5 + k);
        const many = await report(ws, {});
        expect(many.interests.topics.map((x) => x.topic)).toEqual(['api', 't11', 't10', 't09', 't08', 't07', 't06', 't05', 't04', 't03']);
      });

      it.runIf(dialect === 'sqlite')('reads interest rows by primary key, joined on the active persons', async () => {
        const range = sql`d.workspace_id = ${ws} AND d.day >= 0 AND d.day <= 1000000`;
        const plan = await sql`explain query plan ${topInterestsQuery('sqlite', ws, range, 0, 30)}`.execute(t.deps.db);
        const details = plan.rows.map((row) => (row as { detail: string }).detail).join(' | ');
        expect(details).toMatch(/SEARCH i USING (INDEX sqlite_autoindex_interest_scores_1|PRIMARY KEY) \(workspace_id=\? AND viewer=\?\)/);
        expect(details).not.toMatch(/SCAN i\b/);
      });

      it('counts whole UTC days: the rollup has no finer time', async () => {
        const r = await report(ws, { from: at('2026-11-20T23:00:00'), to: at('2026-11-20T23:30:00') });
        expect(r.activePersons).toBe(1);
        expect(r.gender).toEqual([{ value: 'Male', persons: 1 }]);
      });

      it('refuses a widget filter and bad attribute lists', async () => {
        await expect(report(ws, { widgetId: 'wgt_test' })).rejects.toMatchObject({
          code: 'invalid_request',
          details: { field: 'widgetId' },
        });
        await expect(report(ws, { attributes: ['a', 'b', 'c', 'd', 'e', 'f'] })).rejects.toMatchObject({
          code: 'invalid_request',
          details: { field: 'attributes' },
        });
        for (const bad of ['a.b', '__proto__', 'x"y', '']) {
          await expect(report(ws, { attributes: [bad] })).rejects.toMatchObject({ details: { field: 'attributes' } });
        }
      });
    });

    it('shows the top 10 values by persons, then $other (distinct persons) and $none', async () => {
      const ws = 'ws_top';
      const activities: Activity[] = [];
      const person = (id: string, team: string | null, day = 10) =>
        activities.push({
          userId: id,
          trust: 'verified',
          profile: { properties: team === null ? {} : { team } },
          at: at(`2026-11-${day}T08:00:00`),
        });
      for (let i = 0; i < 4; i++) person(`t0_${i}`, 't0');
      for (let i = 0; i < 3; i++) person(`t1_${i}`, 't1');
      for (let v = 2; v <= 9; v++) for (let i = 0; i < 2; i++) person(`t${v}_${i}`, `t${v}`);
      // x had two values outside the top 10 and counts once in $other.
      person('x', 't10', 10);
      person('x', 't11', 11);
      person('z', 't12');
      person('n', null);
      await record(ws, activities);
      const r = await report(ws, { attributes: ['team', 'trust'] });
      expect(r.activePersons).toBe(26);
      expect(r.attributes.team).toEqual([
        { value: 't0', persons: 4 },
        { value: 't1', persons: 3 },
        ...[2, 3, 4, 5, 6, 7, 8, 9].map((v) => ({ value: `t${v}`, persons: 2 })),
        { value: '$other', persons: 2 },
        { value: '$none', persons: 1 },
      ]);
      expect(r.attributes.trust).toEqual([{ value: 'verified', persons: 26 }]);
    });
  });
}
