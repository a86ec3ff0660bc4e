import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { setupOwner, type Session } from '../test-support/api-helpers.js';
import type { Actor } from '../audit/audit-log.js';
import { dayOf, personOf, type EventRow } from './event-store.js';
import { RETENTION_CHUNK } from './event-retention.js';
import { PostgresEventPartitions } from '../db/dialects/postgres-event-partitions.js';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(`${iso}Z`);
const SYSTEM: Actor = { type: 'system', id: null, ip: null };

let sequence = 0;

type EventSpec = { at: number; name?: string; user: string };

/** Stores anonymous events through the event store, each with a new id. */
function insertEvents(t: TestApp, workspaceId: string, events: EventSpec[]): Promise<unknown> {
  return t.deps.db.transaction().execute(async (trx) => {
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
}

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

    const insert = (workspaceId: string, events: EventSpec[]) => insertEvents(t, workspaceId, events);
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

describe.skipIf(!DIALECTS.includes('postgres'))('event retention by dropping monthly partitions [postgres]', () => {
  let t: TestApp;
  let owner: Session;

  beforeAll(async () => {
    t = await createTestApp('postgres');
    owner = await setupOwner(t);
  });
  afterAll(async () => t?.close());

  const insert = (events: EventSpec[]) => insertEvents(t, owner.workspaceId, events);
  const partitions = async () =>
    (
      await sql<{ name: string }>`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = to_regclass('events') order by 1`.execute(t.deps.db)
    ).rows.map((r) => r.name);
  const count = async (table: 'events' | 'event_daily' | 'event_person_days', before: number) => {
    const column = table === 'event_person_days' ? sql`day::bigint * 86400000` : sql.ref('at');
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}
      where workspace_id = ${owner.workspaceId} and ${column} < ${before}`.execute(t.deps.db);
    return Number(rows[0]!.n);
  };

  it('drops a month past every workspace retention whole, and deletes the boundary month row by row, rollups and ids alike', async () => {
    // Now: 2026-11-21 12:00. Every workspace keeps 30 days: the cut-off is 2026-10-22, so September is past it whole.
    const workspaces = await t.deps.db.selectFrom('workspaces').select('id').execute();
    for (const { id } of workspaces) await t.services.retention.update(id, { retentionDays: 30 }, SYSTEM);
    await new PostgresEventPartitions(t.deps.db).ensure(at('2026-09-01T00:00:00'), at('2026-09-01T00:00:00'));
    await insert([
      { at: at('2026-09-01T00:00:00'), user: 'anon_1' },
      { at: at('2026-09-15T10:00:00'), user: 'anon_2' },
      { at: at('2026-09-30T23:59:59'), user: 'anon_3' },
      // October has no partition yet: the default partition takes these until the run moves them.
      { at: at('2026-10-21T23:00:00'), user: 'anon_4' },
      { at: at('2026-10-22T06:00:00'), user: 'anon_5' },
      { at: at('2026-11-21T11:00:00'), user: 'anon_6' },
    ]);
    expect(await partitions()).toContain('events_2026_09');
    expect(await partitions()).not.toContain('events_2026_10');
    const cutoff = at('2026-10-22T00:00:00');
    expect(await count('events', cutoff)).toBe(4);

    expect(await t.services.retention.runOnce()).toEqual({ deleted: 4 });
    // September went as a table; October got its partition and lost its day before the cut-off row by row.
    expect(await partitions()).not.toContain('events_2026_09');
    expect(await partitions()).toContain('events_2026_10');
    const { rows } = await sql<{ gone: boolean }>`select to_regclass('events_2026_09') is null as gone`.execute(t.deps.db);
    expect(rows).toEqual([{ gone: true }]);
    for (const table of ['events', 'event_daily', 'event_person_days'] as const) expect(await count(table, cutoff)).toBe(0);
    expect(await count('events', Number.MAX_SAFE_INTEGER)).toBe(2);
    // The ids went with their events, the dropped month's and the boundary day's alike.
    const { rows: ids } = await sql<{ event_id: string; stored: boolean }>`
      select i.event_id, exists (select 1 from events e where e.workspace_id = i.workspace_id and e.event_id = i.event_id) as stored
      from event_ids i where i.workspace_id = ${owner.workspaceId}`.execute(t.deps.db);
    expect(ids).toHaveLength(2);
    expect(ids.every((r) => r.stored)).toBe(true);
    expect(await count('event_daily', Number.MAX_SAFE_INTEGER)).toBe(2);
    expect(await count('event_person_days', Number.MAX_SAFE_INTEGER)).toBe(2);
    expect(await t.services.retention.runOnce()).toEqual({ deleted: 0 });
  });

  it('leaves the whole run to the next when a partition cannot be dropped in time, rather than deleting its rows one by one', async () => {
    await new PostgresEventPartitions(t.deps.db).ensure(at('2026-08-01T00:00:00'), at('2026-08-01T00:00:00'));
    await insert([
      { at: at('2026-08-10T10:00:00'), user: 'anon_7' },
      { at: at('2026-10-21T22:00:00'), user: 'anon_8' },
    ]);
    // Another connection reads August in a long transaction: the drop waits for its lock, then gives up.
    const other = t.database.open();
    let release!: () => void;
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const reader = other.db.transaction().execute(async (trx) => {
      await sql`lock table events_2026_08 in access share mode`.execute(trx);
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    try {
      await isLocked;
      expect(await t.services.retention.runOnce()).toEqual({ deleted: 0 });
      expect(await partitions()).toContain('events_2026_08');
      expect(await count('events', at('2026-10-22T00:00:00'))).toBe(2);
    } finally {
      release();
      await reader;
      await other.destroy();
    }
    expect(await t.services.retention.runOnce()).toEqual({ deleted: 2 });
    expect(await partitions()).not.toContain('events_2026_08');
    expect(await count('events', at('2026-10-22T00:00:00'))).toBe(0);
  });
});
