import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * A daily rollup of events for day and week series: one row per workspace,
 * event name, UTC day, snapshot, trust level and person, with its event
 * count. A person's repeated events of a day become one row, so a 30-day
 * series reads fewer rows than events; it is written in the transaction that
 * writes the events (and moved or deleted with them), so it never disagrees
 * with them. `at` is the day's start in epoch ms, so the reports' bucket SQL
 * reads it as it reads an event's time.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const big = adapter.bigintType;
  await db.schema
    .createTable('event_daily')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('snapshot_id', 'integer', (c) => c.notNull())
    .addColumn('trust', 'text', (c) => c.notNull())
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_daily_pk', ['workspace_id', 'name', 'at', 'snapshot_id', 'trust', 'person'])
    .execute();
  await db.schema.createIndex('event_daily_person').on('event_daily').columns(['workspace_id', 'person']).execute();
  if (adapter.name === 'postgres') {
    // As for events: reports read it through index-only scans.
    await sql`alter table event_daily set (autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02)`.execute(
      db,
    );
  }
  // Events stored before this migration.
  await sql`insert into event_daily (workspace_id, name, at, snapshot_id, trust, person, events)
    select workspace_id, name, at / 86400000 * 86400000, snapshot_id, trust, person, count(*) from events
    group by workspace_id, name, at / 86400000 * 86400000, snapshot_id, trust, person`.execute(db);
}
