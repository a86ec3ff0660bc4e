import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * Server-side events about a company (issue 18, analytics/server-event-ingestion.ts).
 *
 * `events.company_id`: the host's company id a server API event names
 * (`POST /server/v1/events`, `company`), null for every widget event and for
 * server events that name only a user. A company-only event has no user, so
 * counting distinct companies through memberships (company_members) cannot
 * see it: a report counts `company_id` beside the memberships of `user_id`.
 * Company-only events are stored with `person` = `c:` + company id.
 *
 * The index is partial (company events only), so widget ingestion, which
 * never sets the column, pays nothing for it; it serves "a company's
 * activity" and distinct-company counts over a time range.
 */
export async function up(db: Kysely<unknown>, _adapter: DialectAdapter): Promise<void> {
  await db.schema.alterTable('events').addColumn('company_id', 'text').execute();
  await db.schema
    .createIndex('events_company')
    .on('events')
    .columns(['workspace_id', 'company_id', 'at'])
    .where(sql.ref('company_id'), 'is not', null)
    .execute();
}
