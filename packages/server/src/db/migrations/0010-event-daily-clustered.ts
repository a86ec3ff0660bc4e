import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * On SQLite, `event_daily` becomes a WITHOUT ROWID table: its rows live in
 * the primary key's b-tree, count included.
 *
 * As a rowid table, a series read its rows through the primary key index,
 * which held every column but `events`: each of the rows went back to the
 * table for its count. A 30-day series of a frequent event at 10M events
 * reads about 300,000 rows; the lookups were half of its time (0.8 s, then
 * 0.4–0.6 s). Each upsert also wrote two b-trees where it now writes one.
 *
 * PostgreSQL keeps its table: it reads the heap for the count too, but its
 * reports were within their targets, and rebuilding the key there would lock
 * the table for as long.
 *
 * The copy takes about 30 s for the rollup of 10M events (4.6M rows), once.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  if (adapter.name !== 'sqlite') return;
  // Kysely runs SQLite migrations outside a transaction; this one drops the
  // table it copied, so it makes its own. A crash part-way leaves the old
  // table as it was; one after the commit, before the migration is recorded,
  // reruns it on the clustered table, which copies just as well.
  await sql`begin immediate`.execute(db);
  try {
    await sql`create table event_daily_clustered (
      workspace_id text not null,
      name text not null,
      at integer not null,
      snapshot_id integer not null,
      trust text not null,
      person text not null,
      events integer not null,
      constraint event_daily_pk primary key (workspace_id, name, at, snapshot_id, trust, person)
    ) without rowid`.execute(db);
    // In key order, so the copy appends to the new b-tree.
    await sql`insert into event_daily_clustered (workspace_id, name, at, snapshot_id, trust, person, events)
      select workspace_id, name, at, snapshot_id, trust, person, events from event_daily
      order by workspace_id, name, at, snapshot_id, trust, person`.execute(db);
    await sql`drop table event_daily`.execute(db);
    await sql`alter table event_daily_clustered rename to event_daily`.execute(db);
    await sql`create index event_daily_person on event_daily (workspace_id, person)`.execute(db);
    await sql`commit`.execute(db);
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
}
