import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * On PostgreSQL, the daily rollup's primary key carries the count too
 * (`INCLUDE (events)`), so a day or week series reads its name and days as an
 * index-only scan of that range.
 *
 * Without it the count lived in the heap alone, and the planner read the
 * whole rollup instead (a parallel sequential scan: 1.4 GB at 10M events,
 * 4 GB at 30M) to find the few hundred thousand rows of one name and 30 days.
 * That scan made the series grow with the rollup's size rather than with the
 * window's rows (bench/analytics/README.md, "The daily rollup read by its
 * key on PostgreSQL"). SQLite has clustered the rollup by this key since
 * migration 0010.
 *
 * The key is rebuilt once, under the migration's lock: about half a minute
 * for the rollup of 10M events.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  if (adapter.name !== 'postgres') return;
  await sql`alter table event_daily
    drop constraint event_daily_pk,
    add constraint event_daily_pk primary key (workspace_id, name, at, snapshot_id, trust, person) include (events)`.execute(db);
}
