import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { setupOwner, type Session } from '../test-support/api-helpers.js';
import type { Actor } from '../audit/audit-log.js';
import { dayOf, personOf, type EventRow } from './event-store.js';
import { RETENTION_CHUNK } from './event-retention.js';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(`${iso}Z`);
const SYSTEM: Actor = { type: 'system', id: null, ip: null };

let sequence = 0;

for (const dialect of DIALECTS) {
  describe(`event retention [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let other: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      other = (await t.services.workspaces.create('Other', null, SYSTEM)).id;
    });
    afterAll(async () => t?.close());

    const insert = (workspaceId: string, events: Array<{ at: number; name?: string; user: string }>) =>
      t.deps.db.transaction().execute(async (trx) => {
        const rows: EventRow[] = events.map((e) => ({
          workspaceId,
          eventId: `evt_${(sequence++).toString(36).padStart(10, '0')}`,
          widgetId: 'wgt_test',
          name: e.name ?? '$widget_opened',
          at: e.at,
          person: personOf(null, e.user),
          userId: null,
          anonymousId: e.user,
          trust: 'anonymous',
          snapshotId: 0,
          object: null,
          props: null,
        }));
        await t.services.events.insert(trx, rows, t.clock.now());
      });
    const eventTimes = async (workspaceId: string) =>
      (await t.deps.db.selectFrom('events').select('at').where('workspace_id', '=', workspaceId).orderBy('at').execute()).map((r) =>
        Number(r.at),
      );
    const days = async (workspaceId: string) =>
      [
        ...new Set(
          (await t.deps.db.selectFrom('event_person_days').select('day').where('workspace_id', '=', workspaceId).execute()).map((r) =>
            Number(r.day),
          ),
        ),
      ].sort((a, b) => a - b);

    it('reads and changes the retention: validated, audited with before and after, unchanged values not written', async () => {
      const retention = t.services.retention;
      expect(await retention.settings(owner.workspaceId)).toEqual({ retentionDays: 365 });
      for (const retentionDays of [0, 3651, 1.5, Number.NaN]) {
        await expect(retention.update(owner.workspaceId, { retentionDays }, SYSTEM)).rejects.toMatchObject({
          code: 'invalid_request',
          details: { field: 'retentionDays' },
        });
      }
      const actor: Actor = { type: 'account', id: owner.accountId, ip: '203.0.113.9' };
      expect(await retention.update(owner.workspaceId, { retentionDays: 30 }, actor)).toEqual({ retentionDays: 30 });
      expect(await retention.update(owner.workspaceId, { retentionDays: 30 }, actor)).toEqual({ retentionDays: 30 });
      expect(await retention.settings(owner.workspaceId)).toEqual({ retentionDays: 30 });
      const audit = await t.deps.db
        .selectFrom('audit_log')
        .selectAll()
        .where('workspace_id', '=', owner.workspaceId)
        .where('action', '=', 'analytics.settings.update')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor_type: 'account',
        actor_id: owner.accountId,
        target_type: 'workspace',
        target_id: owner.workspaceId,
      });
      const details = typeof audit[0]!.details === 'string' ? JSON.parse(audit[0]!.details) : audit[0]!.details;
      expect(details).toEqual({ before: { retentionDays: 365 }, after: { retentionDays: 30 } });
      await expect(retention.settings('ws_missing')).rejects.toMatchObject({ code: 'not_found' });
      await expect(retention.update('ws_missing', { retentionDays: 10 }, SYSTEM)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('deletes events and rollup rows of whole UTC days past each workspace retention, in chunks, and keeps the rest', async () => {
      // Now: 2026-11-21 12:00. Thirty days earlier is 2026-10-22 12:00: that day and later stay.
      await t.services.retention.update(owner.workspaceId, { retentionDays: 30 }, SYSTEM);
      const old = at('2026-10-21T23:00:00');
      const many = Array.from({ length: RETENTION_CHUNK + 20 }, (_, i) => ({ at: old - i, user: `anon_${i}` }));
      await insert(owner.workspaceId, [
        ...many,
        { at: at('2026-09-01T08:00:00'), name: 'Report exported', user: 'anon_a' },
        { at: at('2026-10-22T06:00:00'), user: 'anon_b' },
        { at: at('2026-11-21T11:00:00'), name: 'Report exported', user: 'anon_c' },
      ]);
      await insert(other, [
        { at: at('2026-09-01T08:00:00'), user: 'anon_x' },
        { at: at('2025-11-20T08:00:00'), user: 'anon_y' },
      ]);

      expect(await t.services.retention.runOnce()).toEqual({ deleted: RETENTION_CHUNK + 21 + 1 });
      expect(await eventTimes(owner.workspaceId)).toEqual([at('2026-10-22T06:00:00'), at('2026-11-21T11:00:00')]);
      expect(await days(owner.workspaceId)).toEqual([dayOf(at('2026-10-22T06:00:00')), dayOf(at('2026-11-21T11:00:00'))]);
      // The other workspace keeps the default 365 days: only its event from more than a year ago goes.
      expect(await eventTimes(other)).toEqual([at('2026-09-01T08:00:00')]);
      expect(await days(other)).toEqual([dayOf(at('2026-09-01T08:00:00'))]);
      expect(await t.services.retention.runOnce()).toEqual({ deleted: 0 });

      // A day later the boundary day goes too.
      t.clock.advance(DAY);
      try {
        expect(await t.services.retention.runOnce()).toEqual({ deleted: 1 });
        expect(await eventTimes(owner.workspaceId)).toEqual([at('2026-11-21T11:00:00')]);
      } finally {
        t.clock.advance(-DAY);
      }
    });
  });
}
