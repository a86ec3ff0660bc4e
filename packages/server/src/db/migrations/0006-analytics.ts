import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * Analytics: events, the deduplicated property snapshots they point at, the
 * daily active-person rollup, the property catalogue, and each workspace's
 * retention setting.
 *
 * No foreign keys on the event tables: a check per inserted row would cost
 * ingestion more than it protects (events are written only by the ingestion
 * path, which has checked the workspace and widget already).
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { jsonType: json, bigintType: big } = adapter;

  await db.schema
    .alterTable('workspaces')
    .addColumn('analytics_retention_days', 'integer', (c) => c.notNull().defaultTo(365))
    .execute();

  // One row per distinct profile state an event was recorded under: the same
  // columns as users, so a targeting condition compiles against it unchanged.
  await adapter
    .addAutoIncrementId(db.schema.createTable('event_snapshots') as never)
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('trust', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('birthday', 'text')
    .addColumn('gender', 'text')
    .addColumn('properties', json, (c) => c.notNull())
    .addColumn('sources', json, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('event_snapshots_hash').on('event_snapshots').columns(['workspace_id', 'hash']).unique().execute();
  await db.schema.createIndex('event_snapshots_user').on('event_snapshots').columns(['workspace_id', 'user_id']).execute();

  await adapter
    .addAutoIncrementId(db.schema.createTable('events') as never)
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('widget_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    // Who did it: `u:` + userId once known (identified or verified, or attributed
    // after identify), `a:` + anonymous id before. Unique users count this.
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('anonymous_id', 'text', (c) => c.notNull())
    .addColumn('trust', 'text', (c) => c.notNull())
    // 0: no profile (anonymous at event time).
    .addColumn('snapshot_id', 'integer', (c) => c.notNull())
    .addColumn('object', 'text')
    .addColumn('props', json)
    .addColumn('received_at', big, (c) => c.notNull())
    .execute();
  // Retried batches resend the same client ids: this drops them.
  await db.schema.createIndex('events_event_id').on('events').columns(['workspace_id', 'event_id']).unique().execute();
  // Covers the reports: one event over a time range, filtered by snapshot and trust, counted per person and object.
  await db.schema
    .createIndex('events_report')
    .on('events')
    .columns(['workspace_id', 'name', 'at', 'snapshot_id', 'trust', 'person', 'object'])
    .execute();
  // A person's events: attribution after identify, erase, recent activity.
  await db.schema.createIndex('events_person').on('events').columns(['workspace_id', 'person', 'at']).execute();

  // Who was active on which day under which profile state: demographics and
  // active users without scanning every event. Kept in the transaction that
  // writes the events, so it never disagrees with them.
  await db.schema
    .createTable('event_person_days')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('person', 'text', (c) => c.notNull())
    .addColumn('snapshot_id', 'integer', (c) => c.notNull())
    .addColumn('trust', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('events', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_person_days_pk', ['workspace_id', 'day', 'person', 'snapshot_id', 'trust'])
    .execute();
  await db.schema.createIndex('event_person_days_person').on('event_person_days').columns(['workspace_id', 'person']).execute();

  await db.schema
    .createTable('property_catalogue')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('types', json, (c) => c.notNull())
    .addColumn('first_seen_at', big, (c) => c.notNull())
    .addColumn('last_seen_at', big, (c) => c.notNull())
    .addColumn('sketch', 'text', (c) => c.notNull())
    .addColumn('flags', json, (c) => c.notNull())
    .addPrimaryKeyConstraint('property_catalogue_pk', ['workspace_id', 'key'])
    .execute();

  if (adapter.name === 'postgres') {
    // Reports read through index-only scans; autovacuum keeps the visibility
    // map current sooner on this append-mostly table than its defaults would.
    await sql`alter table events set (autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02)`.execute(db);
  }
}
