import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, TestClock, createMigratedDatabase } from '../../test-support/test-app.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { EventStore, personOf } from '../../analytics/event-store.js';
import { PostgresEventPartitions, addMonths, monthOf, partitionName } from './postgres-event-partitions.js';

const at = (iso: string) => Date.parse(`${iso}Z`);

describe('event partition months', () => {
  it('cuts on UTC calendar months, across years', () => {
    expect(monthOf(at('2026-11-30T23:59:59.999'))).toBe(at('2026-11-01T00:00:00'));
    expect(monthOf(at('2026-12-01T00:00:00'))).toBe(at('2026-12-01T00:00:00'));
    expect(addMonths(at('2026-11-01T00:00:00'), 2)).toBe(at('2027-01-01T00:00:00'));
    expect(addMonths(at('2026-01-01T00:00:00'), -1)).toBe(at('2025-12-01T00:00:00'));
    expect(partitionName(at('2027-01-01T00:00:00'))).toBe('events_2027_01');
  });
});

describe.skipIf(!DIALECTS.includes('postgres'))('event partitions [postgres]', () => {
  let adapter: DialectAdapter;
  let close: () => Promise<void>;
  let partitions: PostgresEventPartitions;
  const clock = new TestClock();

  beforeAll(async () => {
    ({ adapter, close } = await createMigratedDatabase('postgres'));
    partitions = new PostgresEventPartitions(adapter.db);
  });
  afterAll(async () => close?.());

  const names = async () => (await partitions.list()).map((p) => p.name);
  const partitionOf = async (eventId: string) =>
    (await sql<{ p: string }>`select tableoid::regclass::text as p from events where event_id = ${eventId}`.execute(adapter.db)).rows.map(
      (r) => r.p,
    );
  const insert = (eventId: string, time: number) =>
    adapter.db.transaction().execute((trx) =>
      new EventStore({ adapter, clock }).insert(
        trx,
        [
          {
            workspaceId: 'ws_p',
            eventId,
            widgetId: 'wgt_p',
            name: '$widget_opened',
            at: time,
            person: personOf(null, 'anon_p'),
            userId: null,
            anonymousId: 'anon_p',
            trust: 'anonymous',
            snapshotId: 0,
            object: null,
            props: null,
          },
        ],
        clock.now(),
      ),
    );

  it('creates the month of 72 hours ago through two months ahead, once, from several processes at once', async () => {
    // 2031-03-02: 72 hours earlier is still February (months far from the real clock's, which migration 0027 created).
    const now = at('2031-03-02T10:00:00');
    const created = await Promise.all([partitions.maintain(now), new PostgresEventPartitions(adapter.db).maintain(now)]);
    expect(created.flat().sort()).toEqual(['events_2031_02', 'events_2031_03', 'events_2031_04', 'events_2031_05']);
    expect(await names()).toEqual(expect.arrayContaining(['events_2031_02', 'events_2031_03', 'events_2031_04', 'events_2031_05']));
    expect(await partitions.maintain(now)).toEqual([]);
  });

  it('moves a month that reached the default partition into a partition of its own, ids and all', async () => {
    await insert('evt_stray_001', at('2024-05-09T10:00:00'));
    expect(await partitionOf('evt_stray_001')).toEqual(['events_default']);
    const { rows: before } = await sql<{ id: number }>`select id from events where event_id = 'evt_stray_001'`.execute(adapter.db);
    expect(await partitions.maintain(at('2031-03-02T10:00:00'))).toEqual(['events_2024_05']);
    expect(await partitionOf('evt_stray_001')).toEqual(['events_2024_05']);
    const { rows: after } = await sql<{ id: number }>`select id from events where event_id = 'evt_stray_001'`.execute(adapter.db);
    expect(after).toEqual(before);
    // Still its id: sent again, it is a duplicate.
    expect(await insert('evt_stray_001', at('2031-03-01T10:00:00'))).toEqual(new Set());
  });

  it('leaves in the default partition a month past every retention', async () => {
    await insert('evt_stray_002', at('2023-02-09T10:00:00'));
    expect(await partitions.maintain(at('2031-03-02T10:00:00'), at('2024-01-01T00:00:00'))).toEqual([]);
    expect(await partitionOf('evt_stray_002')).toEqual(['events_default']);
  });

  it('drops the partitions that end at or before a cut-off, counting their events per workspace', async () => {
    await partitions.ensure(at('2024-06-01T00:00:00'), at('2024-06-01T00:00:00'));
    await insert('evt_drop_0001', at('2024-06-30T23:59:59'));
    const dropped = await partitions.dropBefore(at('2024-07-01T00:00:00'));
    expect(dropped.partitions).toEqual(['events_2024_05', 'events_2024_06']);
    expect(dropped.events).toEqual(new Map([['ws_p', 2]]));
    expect(await names()).not.toContain('events_2024_06');
    // The default partition keeps its old row: retention deletes it row by row.
    expect(await partitionOf('evt_stray_002')).toEqual(['events_default']);
  });
});
