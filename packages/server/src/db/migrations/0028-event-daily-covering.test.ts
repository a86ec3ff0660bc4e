import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, TestClock, createTestDatabase, type TestDatabase } from '../../test-support/test-app.js';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';
import { migrateTo, migrateToLatest } from '../migrate.js';
import { EventStore, personOf, type EventRow } from '../../analytics/event-store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2);

for (const dialect of DIALECTS) {
  describe(`migration 0028: the daily rollup's key carries its count on PostgreSQL [${dialect}]`, () => {
    let database: TestDatabase;
    let adapter: DialectAdapter;
    let before: Array<Record<string, unknown>>;

    const rows = async () =>
      (
        await sql<Record<string, unknown> & { person: string }>`select * from event_daily order by name, at, person`.execute(adapter.db)
      ).rows.map((r) => ({
        ...r,
        at: Number(r.at),
        snapshot_id: Number(r.snapshot_id),
        events: Number(r.events),
      }));

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      adapter = database.open();
      await migrateTo(adapter, '0027-event-partitions');
      for (const [i, name] of ['Report exported', 'Report exported', 'Invite sent'].entries()) {
        await sql`insert into event_daily (workspace_id, name, at, snapshot_id, trust, person, events)
          values ('ws_a', ${name}, ${T0 + i * DAY}, 0, 'anonymous', ${`a:anon_${i}`}, ${i + 2})`.execute(adapter.db);
      }
      before = await rows();
      await migrateToLatest(adapter);
    });
    afterAll(async () => {
      await adapter?.destroy();
      await database?.drop();
    });

    it('keeps every rollup row, and an insert still adds to the row of its name, day and person', async () => {
      expect(before).toHaveLength(3);
      expect(await rows()).toEqual(before);
      const store = new EventStore({ adapter, clock: new TestClock() });
      const row: EventRow = {
        workspaceId: 'ws_a',
        eventId: 'evt_1',
        widgetId: 'wgt_a',
        name: 'Report exported',
        at: T0 + 60_000,
        person: personOf(null, 'anon_0'),
        userId: null,
        anonymousId: 'anon_0',
        trust: 'anonymous',
        snapshotId: 0,
        object: null,
        props: null,
      };
      await adapter.db.transaction().execute((trx) => store.insert(trx, [row], T0 + 61_000));
      const after = await rows();
      expect(after).toHaveLength(3);
      expect(after.find((r) => r.person === 'a:anon_0')).toMatchObject({ name: 'Report exported', at: T0, events: 3 });
    });

    if (dialect === 'postgres') {
      it('reads a name and range of days with the count from the key alone (an index-only scan)', async () => {
        const index = await sql<{ indexdef: string }>`
          select indexdef from pg_indexes where indexname = 'event_daily_pk' and schemaname = current_schema()`.execute(adapter.db);
        expect(index.rows[0]?.indexdef).toMatch(/\(workspace_id, name, at, snapshot_id, trust, person\) INCLUDE \(events\)$/);
        await sql`vacuum analyze event_daily`.execute(adapter.db);
        // The series' read (series-report.ts) with the other plans off: only the rows' index entries, never the heap.
        const plan = await adapter.db.connection().execute(async (db) => {
          await sql`set enable_seqscan = off`.execute(db);
          await sql`set enable_bitmapscan = off`.execute(db);
          try {
            return await sql<{ 'QUERY PLAN': string }>`explain select at, snapshot_id, person, sum(events) from event_daily
              where workspace_id = 'ws_a' and name = 'Report exported' and at >= ${T0} and at < ${T0 + 30 * DAY}
              group by 1, 2, 3`.execute(db);
          } finally {
            await sql`reset enable_seqscan`.execute(db);
            await sql`reset enable_bitmapscan`.execute(db);
          }
        });
        expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using event_daily_pk on event_daily/);
      });
    }
  });
}
