import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, TestClock, createMigratedDatabase } from '../test-support/test-app.js';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import { EventStore, companyPersonOf, personOf, type EventRow } from './event-store.js';

const at = (iso: string) => Date.parse(`${iso}Z`);
const WORKSPACE = 'ws_store';

for (const dialect of DIALECTS) {
  describe(`event store: one event per id, whatever the storage layout [${dialect}]`, () => {
    let adapter: DialectAdapter;
    let close: () => Promise<void>;
    let store: EventStore;
    const clock = new TestClock();

    beforeAll(async () => {
      ({ adapter, close } = await createMigratedDatabase(dialect));
      store = new EventStore({ adapter, clock });
    });
    afterAll(async () => close?.());

    const row = (eventId: string, time: number, user = 'anon_1', extra: Partial<EventRow> = {}): EventRow => ({
      workspaceId: WORKSPACE,
      eventId,
      widgetId: 'wgt_test',
      name: '$widget_opened',
      at: time,
      person: personOf(null, user),
      userId: null,
      anonymousId: user,
      trust: 'anonymous',
      snapshotId: 0,
      object: null,
      props: null,
      ...extra,
    });
    const insert = (rows: EventRow[]) => adapter.db.transaction().execute((trx) => store.insert(trx, rows, clock.now()));
    const stored = async (eventId: string) =>
      (
        await adapter.db
          .selectFrom('events')
          .select(['id', 'at', 'person'])
          .where('workspace_id', '=', WORKSPACE)
          .where('event_id', '=', eventId)
          .execute()
      ).map((r) => ({ ...r, at: Number(r.at) }));
    // A person's events as each rollup counts them: [event_person_days, event_daily].
    const rollup = (person: string) =>
      Promise.all(
        (['event_person_days', 'event_daily'] as const).map(async (table) => {
          const { rows } = await sql<{ n: number | string | null }>`
            select sum(events) as n from ${sql.table(table)} where workspace_id = ${WORKSPACE} and person = ${person}`.execute(adapter.db);
          return Number(rows[0]?.n ?? 0);
        }),
      );

    it('stores a resent event once when its time names another month, in one batch or in two, and counts it once', async () => {
      // The last millisecond of October, then the same ids a millisecond later: November (another partition on PostgreSQL).
      const october = at('2026-10-31T23:59:59.999');
      expect(await insert([row('evt_edge_0001', october, 'anon_edge'), row('evt_edge_0002', october, 'anon_edge')])).toEqual(
        new Set(['evt_edge_0001', 'evt_edge_0002']),
      );
      expect(await insert([row('evt_edge_0001', october + 1, 'anon_edge')])).toEqual(new Set());
      // One batch holding an id twice, in two months, and an id stored already.
      expect(
        await insert([
          row('evt_edge_0003', october + 1, 'anon_edge'),
          row('evt_edge_0003', october, 'anon_edge'),
          row('evt_edge_0002', at('2027-03-01T00:00:00'), 'anon_edge'),
        ]),
      ).toEqual(new Set(['evt_edge_0003']));
      expect(await stored('evt_edge_0001')).toEqual([expect.objectContaining({ at: october })]);
      expect(await stored('evt_edge_0002')).toEqual([expect.objectContaining({ at: october })]);
      // The first of a batch's repeats is the one stored.
      expect(await stored('evt_edge_0003')).toEqual([expect.objectContaining({ at: october + 1 })]);
      expect(await rollup(personOf(null, 'anon_edge'))).toEqual([3, 3]);
    });

    if (dialect === 'postgres') {
      // Two nodes storing one resent event at once: the second waits for the first's transaction.
      it.each([
        ['commits', 'the first', new Set(['evt_race_commit']), new Set()],
        ['rolls back', 'the second', new Set(), new Set(['evt_race_rollback'])],
      ] as const)(
        'stores an id sent by two transactions at once once: when the first %s, %s keeps it',
        async (outcome, _, first, second) => {
          const id = `evt_race_${outcome === 'commits' ? 'commit' : 'rollback'}`;
          let release!: () => void;
          const gate = new Promise<void>((resolve) => (release = resolve));
          let holding!: () => void;
          const held = new Promise<void>((resolve) => (holding = resolve));
          const firstDone = adapter.db
            .transaction()
            .execute(async (trx) => {
              const ids = await store.insert(trx, [row(id, at('2026-10-31T23:59:59.999'), 'anon_race')], clock.now());
              holding();
              await gate;
              if (outcome === 'rolls back') throw new Error('rolled back');
              return ids;
            })
            .catch(() => new Set<string>());
          await held;
          // Another month: another partition, so only `event_ids` can tell the two apart.
          const secondDone = insert([row(id, at('2026-11-01T00:00:00'), 'anon_race')]);
          // The second insert is waiting on the first's uncommitted id, not done.
          const early = await Promise.race([
            secondDone.then(() => 'done'),
            new Promise((resolve) => setTimeout(() => resolve('waiting'), 200)),
          ]);
          expect(early).toBe('waiting');
          release();
          expect(await firstDone).toEqual(first);
          expect(await secondDone).toEqual(second);
          expect(await stored(id)).toHaveLength(1);
        },
      );
    }

    it('stores an event of a month that has no partition of its own', async () => {
      // Far from the months the server keeps partitions for: on PostgreSQL the default partition takes it.
      const old = at('2019-03-14T09:00:00');
      expect(await insert([row('evt_old_00001', old, 'anon_old')])).toEqual(new Set(['evt_old_00001']));
      expect(await stored('evt_old_00001')).toEqual([expect.objectContaining({ at: old })]);
      expect(await insert([row('evt_old_00001', at('2026-11-21T00:00:00'), 'anon_old')])).toEqual(new Set());
      if (dialect === 'postgres') {
        const { rows } = await sql<{ partition: string }>`
          select tableoid::regclass::text as partition from events where event_id = 'evt_old_00001'`.execute(adapter.db);
        expect(rows).toEqual([{ partition: 'events_default' }]);
      }
    });

    it('forgets the ids of erased events with them, as a unique index on the events would', async () => {
      await insert([
        row('evt_erase_001', at('2026-11-20T10:00:00'), 'anon_e', { person: personOf('user_e', 'anon_e'), userId: 'user_e' }),
        row('evt_erase_002', at('2026-10-20T10:00:00'), 'anon_e', { person: personOf('user_e', 'anon_e'), userId: 'user_e' }),
        row('evt_erase_003', at('2026-11-20T10:00:00'), 'anon_c', { person: companyPersonOf('co_1'), companyId: 'co_1' }),
      ]);
      expect(await adapter.db.transaction().execute((trx) => store.eraseUser(trx, WORKSPACE, 'user_e'))).toBe(2);
      expect(await adapter.db.transaction().execute((trx) => store.eraseCompany(trx, WORKSPACE, 'co_1'))).toEqual({
        deleted: 1,
        detached: 0,
      });
      if (dialect === 'postgres') {
        const { rows } = await sql<{ n: number }>`
          select count(*) as n from event_ids where event_id in ('evt_erase_001', 'evt_erase_002', 'evt_erase_003')`.execute(adapter.db);
        expect(Number(rows[0]!.n)).toBe(0);
      }
      // Stored again when sent again: what was erased is gone, ids included.
      expect(await insert([row('evt_erase_001', at('2026-11-20T10:00:00'), 'anon_e')])).toEqual(new Set(['evt_erase_001']));
      expect(await stored('evt_erase_001')).toHaveLength(1);
    });

    if (dialect === 'postgres') {
      it('keeps one id row per stored event (PostgreSQL: event_ids beside the partitioned events)', async () => {
        const { rows } = await sql<{ events: number; ids: number; orphans: number }>`
          select (select count(*) from events) as events, (select count(*) from event_ids) as ids,
            (select count(*) from event_ids i where not exists (
              select 1 from events e where e.workspace_id = i.workspace_id and e.event_id = i.event_id)) as orphans`.execute(adapter.db);
        expect(rows[0]).toEqual({ events: rows[0]!.ids, ids: rows[0]!.events, orphans: 0 });
        expect(Number(rows[0]!.events)).toBeGreaterThan(0);
      });
    }
  });
}
