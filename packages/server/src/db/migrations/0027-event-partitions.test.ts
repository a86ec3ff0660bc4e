import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, TestClock, createTestDatabase, type TestDatabase } from '../../test-support/test-app.js';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';
import { migrateTo, migrateToLatest } from '../migrate.js';
import { EventStore, personOf, type EventRow } from '../../analytics/event-store.js';

const at = (iso: string) => Date.parse(`${iso}Z`);
// Rows stored before the migration: three months, a company event, props.
const OLD_TIMES = [at('2025-12-31T23:59:59'), at('2026-01-01T00:00:00'), at('2026-01-15T12:00:00'), at('2026-03-02T08:00:00')];

for (const dialect of DIALECTS) {
  describe(`migration 0027: events partitioned by month on PostgreSQL, over stored rows [${dialect}]`, () => {
    let database: TestDatabase;
    let adapter: DialectAdapter;
    let before: Array<Record<string, unknown>>;

    const rows = async () =>
      (
        await adapter.db
          .selectFrom('events')
          .select(['id', 'workspace_id', 'event_id', 'name', 'at', 'person', 'props', 'company_id', 'received_at'])
          .orderBy('id')
          .execute()
      ).map((r) => ({ ...r, id: Number(r.id), at: Number(r.at), props: typeof r.props === 'string' ? JSON.parse(r.props) : r.props }));

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      adapter = database.open();
      await migrateTo(adapter, '0026-event-company');
      // Stored as 0006–0026 left the table; the last ids deleted, so the identity ran past the highest id left.
      for (const [i, time] of [...OLD_TIMES, at('2026-03-03T08:00:00'), at('2026-03-04T08:00:00')].entries()) {
        await sql`insert into events (workspace_id, event_id, widget_id, name, at, person, user_id, anonymous_id, trust, snapshot_id, object, props, received_at, company_id)
          values ('ws_a', ${`evt_old_${i}`}, 'wgt_a', 'Report exported', ${time}, ${i === 2 ? 'c:co_1' : `a:anon_${i}`}, null, ${`anon_${i}`},
            'anonymous', 0, null, ${JSON.stringify({ n: i })}, ${time + 1}, ${i === 2 ? 'co_1' : null})`.execute(adapter.db);
      }
      await sql`delete from events where event_id in ('evt_old_4', 'evt_old_5')`.execute(adapter.db);
      before = await rows();
      await migrateToLatest(adapter);
    });
    afterAll(async () => {
      await adapter?.destroy();
      await database?.drop();
    });

    it('keeps every row and id', async () => {
      expect(before).toHaveLength(OLD_TIMES.length);
      expect(await rows()).toEqual(before);
    });

    it('stores the next event after the old ids, and still refuses an old id sent again', async () => {
      const store = new EventStore({ adapter, clock: new TestClock() });
      const row = (eventId: string, time: number): EventRow => ({
        workspaceId: 'ws_a',
        eventId,
        widgetId: 'wgt_a',
        name: 'Report exported',
        at: time,
        person: personOf(null, 'anon_new'),
        userId: null,
        anonymousId: 'anon_new',
        trust: 'anonymous',
        snapshotId: 0,
        object: null,
        props: null,
      });
      const inserted = await adapter.db
        .transaction()
        .execute((trx) => store.insert(trx, [row('evt_new_0', at('2026-03-05T08:00:00')), row('evt_old_1', at('2026-04-01T00:00:00'))], 0));
      expect(inserted).toEqual(new Set(['evt_new_0']));
      const after = await rows();
      expect(after.slice(0, before.length)).toEqual(before);
      // Ids 1–4 remain, 5 and 6 were taken and deleted: the next is 7.
      expect(after.slice(before.length)).toEqual([expect.objectContaining({ id: 7, event_id: 'evt_new_0' })]);
    });

    if (dialect === 'postgres') {
      it('makes a partitioned table, a partition per stored month plus the default, each with the reports’ indexes', async () => {
        const { rows: kind } = await sql<{ relkind: string }>`select relkind from pg_class where oid = to_regclass('events')`.execute(
          adapter.db,
        );
        expect(kind).toEqual([{ relkind: 'p' }]);
        const { rows: partitions } = await sql<{ name: string; n: number }>`
          select c.relname as name, (select count(*) from events e where e.tableoid = c.oid) as n
          from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = to_regclass('events')`.execute(adapter.db);
        const names = new Map(partitions.map((p) => [p.name, Number(p.n)]));
        expect(names.get('events_2025_12')).toBe(1);
        expect(names.get('events_2026_01')).toBe(2);
        // Its stored event and the one the test before stored.
        expect(names.get('events_2026_03')).toBe(2);
        expect(names.get('events_default')).toBe(0);
        const { rows: indexes } = await sql<{ name: string }>`
          select indexrelid::regclass::text as name from pg_index where indrelid = to_regclass('events_2026_01') order by 1`.execute(
          adapter.db,
        );
        expect(indexes.map((i) => i.name)).toHaveLength(5);
        const { rows: parentIndexes } = await sql<{ name: string }>`
          select indexname as name from pg_indexes where tablename = 'events' and schemaname = current_schema() order by 1`.execute(
          adapter.db,
        );
        expect(parentIndexes.map((i) => i.name)).toEqual(['events_at', 'events_company', 'events_person', 'events_pkey', 'events_report']);
        const { rows: ids } = await sql<{ event_id: string }>`select event_id from event_ids order by event_id`.execute(adapter.db);
        expect(ids.map((r) => r.event_id)).toEqual(['evt_new_0', 'evt_old_0', 'evt_old_1', 'evt_old_2', 'evt_old_3']);
      });
    } else {
      it('leaves SQLite its single table and unique event id index', async () => {
        const { rows: indexes } = await sql<{ name: string; unique: number }>`
          select name, "unique" from pragma_index_list('events') where name = 'events_event_id'`.execute(adapter.db);
        expect(indexes).toEqual([{ name: 'events_event_id', unique: 1 }]);
      });
    }
  });
}
