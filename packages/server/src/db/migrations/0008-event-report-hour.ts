import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * `events_report` keyed by the hour of the event, then the row id, instead of
 * by its exact time: (workspace, name, at / 3600000, id, at, snapshot, trust,
 * person, object).
 *
 * Events arrive out of time order (each browser sends its last few seconds,
 * the SDK retries, phones come back online), so an index ordered by `at`
 * takes each insert at a random page of the recent range: a 100-event batch
 * dirtied about 100 index pages and every commit wrote them all to the WAL
 * (about 4 KB per event). Within an hour, the id follows insertion order, so
 * inserts append at the tail of their (name, hour): a few pages a commit.
 * Reports still read one index range (the hours of the window, `at` checked
 * on the index entry) and never the table. Must match {@link HOUR_MS} and the
 * reports' `eventsWhere`.
 */
export async function up(db: Kysely<unknown>, _adapter: DialectAdapter): Promise<void> {
  await sql`drop index events_report`.execute(db);
  await sql`create index events_report on events (workspace_id, name, (at / 3600000), id, at, snapshot_id, trust, person, object)`.execute(
    db,
  );
}
